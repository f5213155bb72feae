/**
 * PDFs dropped anywhere on the window while a VideoID step asks for documents: they go to the
 * documents list (the classic wizard's own handler also sorts photos, which VideoID has none of).
 */
import { getCurrentWebview } from "@tauri-apps/api/webview";
import { looksLikePdf } from "../paths";

/** Follows drags over the window; returns how to stop. */
export function followPdfDrops(
  onHover: (hovering: boolean) => void,
  onDrop: (paths: string[]) => void,
): () => void {
  const unlisten = getCurrentWebview().onDragDropEvent((event) => {
    const payload = event.payload;
    if (payload.type === "enter" || payload.type === "over") onHover(true);
    else if (payload.type === "leave") onHover(false);
    else {
      onHover(false);
      const pdfs = payload.paths.filter(looksLikePdf);
      if (pdfs.length > 0) onDrop(pdfs);
    }
  });
  return () => void unlisten.then((stop) => stop());
}
