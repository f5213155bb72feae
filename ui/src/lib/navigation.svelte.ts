/** The sections of the window, in the order the navigation shows them. */
export const SCREENS = ["newSignature", "preview", "about"] as const;
export type Screen = (typeof SCREENS)[number];

const state = $state<{ screen: Screen }>({ screen: "newSignature" });

export function currentScreen(): Screen {
  return state.screen;
}

export function navigate(screen: Screen): void {
  state.screen = screen;
}
