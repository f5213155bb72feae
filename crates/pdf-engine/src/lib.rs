//! Fast, safe PDF rendering, text and signature inspection over PDFium.
