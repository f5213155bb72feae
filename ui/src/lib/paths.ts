/** File paths as the desk reports them (Unix or Windows separators). */

/** The last part of a path: the file's name. */
export function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}

/** The folder holding the file at `path`. */
export function parentFolder(path: string): string {
  const cut = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"));
  if (cut < 0) return path;
  if (cut === 0) return path.slice(0, 1);
  return path.slice(0, cut);
}

/** Whether the path names a PDF by its extension (drag and drop sorts files by it). */
export function looksLikePdf(path: string): boolean {
  return /\.pdf$/i.test(path);
}

/** Whether the path names a JPEG or PNG photo by its extension. */
export function looksLikePhoto(path: string): boolean {
  return /\.(jpe?g|png)$/i.test(path);
}
