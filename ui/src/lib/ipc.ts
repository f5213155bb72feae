import type { IpcError, Result } from "./bindings";

/** A failed command: the stable `code` decides the words the window shows. */
export class DeskFailure extends Error {
  readonly code: string;
  readonly detail: string | null;

  constructor(error: IpcError) {
    super(error.message);
    this.name = "DeskFailure";
    this.code = error.code;
    this.detail = error.detail ?? null;
  }
}

/** The data of a successful command, or throws its error as a {@link DeskFailure}. */
export async function unwrap<T>(call: Promise<Result<T, IpcError>>): Promise<T> {
  const result = await call;
  if (result.status === "error") throw new DeskFailure(result.error);
  return result.data;
}

/** Any thrown value as a {@link DeskFailure}, so every error is shown the same way. */
export function asFailure(error: unknown): DeskFailure {
  if (error instanceof DeskFailure) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new DeskFailure({ code: "app.unexpected", message, detail: null });
}
