/** The sections of the window, in the order the navigation shows them. */
export const SCREENS = [
  "newSignature",
  "videoId",
  "requests",
  "preview",
  "settings",
  "diagnostics",
  "about",
] as const;
/** A section, or the first-run setup shown while the desk has no signing server. */
export type Screen = (typeof SCREENS)[number] | "setup";

const state = $state<{ screen: Screen; setupPending: boolean; chosen: boolean }>({
  screen: "newSignature",
  setupPending: false,
  /** Whether the employee has picked a screen in the navigation. */
  chosen: false,
});

export function currentScreen(): Screen {
  return state.screen;
}

export function navigate(screen: Screen): void {
  state.screen = screen;
  state.chosen = true;
}

/** What the navigation lists: the setup first while it is not done. */
export function navItems(): readonly Screen[] {
  return state.setupPending ? ["setup", ...SCREENS] : SCREENS;
}

/** Opens the window on the first-run setup, unless the employee already chose a screen while
 * the window was starting (the setup stays first in the navigation). */
export function startSetup(): void {
  state.setupPending = true;
  if (!state.chosen) state.screen = "setup";
}

/** The setup is done: the window goes to its first section. */
export function finishSetup(): void {
  state.setupPending = false;
  state.screen = SCREENS[0];
}
