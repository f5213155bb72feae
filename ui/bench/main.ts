/**
 * The pdf.js baseline of the window benchmark (`tests/benches/window`): pdf.js's own viewer
 * component (`PDFViewer`, what Firefox's viewer is built on: lazy page rendering, its render
 * queue and page buffer), configured like the app's viewer: pages as images only (no text or
 * form layer, annotations drawn on the page as PDFium draws them), at the app's render scale,
 * in a scroll area of the app's page area's size.
 *
 * The benchmark drives it through `window.pdfjsBench` and watches the same things it watches
 * in the app: each page container (`.page[data-page-number]`) gets `data-loaded="true"` one
 * animation frame after pdf.js has finished drawing it, as the app marks its page images one
 * frame after they are decoded.
 */
import * as pdfjs from "pdfjs-dist";
import workerSrc from "pdfjs-dist/build/pdf.worker.min.mjs?url";
import "pdfjs-dist/web/pdf_viewer.css";
import "./style.css";

type Viewer = import("pdfjs-dist/web/pdf_viewer.mjs").PDFViewer;

interface Bench {
  /** Sizes the scroll area (CSS pixels), as the app's page area measured in the same run. */
  layout(width: number, height: number): void;
  /** Opens `url` at `pixelsPerPoint`; resolves with the milliseconds until page 1 is painted. */
  open(url: string, pixelsPerPoint: number): Promise<number>;
  /** Closes the document, as the app closes its tab. */
  close(): Promise<void>;
}

declare global {
  interface Window {
    pdfjsBench?: Bench;
    pdfjsLib?: typeof pdfjs;
  }
}

/** pdf.js's scale 1 is 96 CSS pixels per inch; a PDF point is 1/72 inch. */
const CSS_PIXELS_PER_POINT = 96 / 72;

async function start(): Promise<void> {
  pdfjs.GlobalWorkerOptions.workerSrc = workerSrc;
  // The viewer module reads the library from this global.
  window.pdfjsLib = pdfjs;
  const { EventBus, PDFViewer } = await import("pdfjs-dist/web/pdf_viewer.mjs");
  const container = document.getElementById("viewerContainer") as HTMLDivElement;
  const eventBus = new EventBus();
  const viewer: Viewer = new PDFViewer({
    container,
    eventBus,
    textLayerMode: 0,
    annotationMode: pdfjs.AnnotationMode.ENABLE,
  });
  // One worker for every document, as an application opening many files keeps it: each open
  // then measures the document, not the start of a worker.
  const worker = new pdfjs.PDFWorker();
  let task: ReturnType<typeof pdfjs.getDocument> | null = null;
  let scale = 1;

  eventBus.on("pagesinit", () => {
    viewer.currentScale = scale / CSS_PIXELS_PER_POINT / (window.devicePixelRatio || 1);
  });
  eventBus.on("pagerender", ({ source }: { source: { div: HTMLElement } }) => {
    source.div.dataset.loaded = "false";
  });
  eventBus.on(
    "pagerendered",
    ({ source, isDetailView }: { source: { div: HTMLElement }; isDetailView: boolean }) => {
      if (isDetailView) return;
      requestAnimationFrame(() => (source.div.dataset.loaded = "true"));
    },
  );

  window.pdfjsBench = {
    layout(width, height) {
      container.style.width = `${width}px`;
      container.style.height = `${height}px`;
    },
    async open(url, pixelsPerPoint) {
      const started = performance.now();
      scale = pixelsPerPoint;
      task = pdfjs.getDocument({ url, worker });
      const pdf = await task.promise;
      const painted = new Promise<number>((resolve) => {
        const watch = new MutationObserver(() => {
          if (container.querySelector('.page[data-page-number="1"][data-loaded="true"]')) {
            watch.disconnect();
            resolve(performance.now());
          }
        });
        watch.observe(container, { subtree: true, attributeFilter: ["data-loaded"] });
      });
      viewer.setDocument(pdf);
      return (await painted) - started;
    },
    async close() {
      viewer.setDocument(null as unknown as pdfjs.PDFDocumentProxy);
      await task?.destroy();
      task = null;
      container.scrollTop = 0;
    },
  };
  document.documentElement.dataset.ready = "true";
}

void start();
