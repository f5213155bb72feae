import { commands, type ConnectionReport } from "../bindings";
import { unwrap } from "../ipc";

/**
 * Tries the signing server at `url` with the other connection settings in effect (CA file,
 * proxy, timeouts), before the address is saved. The report says what answered, or why not.
 */
export async function testConnection(url: string): Promise<ConnectionReport> {
  const current = await unwrap(commands.connectionCurrent());
  return unwrap(commands.connectionTest({ ...current, url }));
}
