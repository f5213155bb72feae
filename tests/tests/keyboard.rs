//! The window with the keyboard alone: on every main screen, Tab reaches every control in the
//! page's reading order, each with a focus ring one can see; Enter and Space move between the
//! screens (focus lands on the new screen's heading, so a screen reader announces it) and
//! continue a step.

use anyhow::{Result, ensure};
use e2e::keyboard::Focused;
use e2e::{App, AppOptions, Layout, SimulatedDesk};
use fantoccini::key::Key;

/// Tabs through the whole window and checks what the focus did against what is on screen.
async fn check_tab_order(app: &mut App, screen: &str) -> Result<()> {
    let expected = app.tabbable().await?;
    let reached = app.tab_through().await?;
    let names = |list: &[Focused]| list.iter().map(|f| f.label.clone()).collect::<Vec<_>>();
    ensure!(
        reached
            .iter()
            .map(|f| &f.key)
            .eq(expected.iter().map(|f| &f.key)),
        "{screen}: Tab reached\n{:#?}\nbut the window's controls are, in reading order,\n{:#?}",
        names(&reached),
        names(&expected)
    );
    let unseen: Vec<_> = reached.iter().filter(|f| !f.indicator).collect();
    ensure!(
        unseen.is_empty(),
        "{screen}: no visible focus indicator on {:#?}",
        unseen.iter().map(|f| &f.label).collect::<Vec<_>>()
    );
    ensure!(
        reached.first().is_some_and(|f| f.test_id == "skip-to-main"),
        "{screen}: the first stop is not the skip link: {:?}",
        reached.first()
    );
    app.screenshot(&format!("{screen}-tab-order")).await?;
    Ok(())
}

/// Goes to a section with the keyboard: Tab to its navigation button, then `key`; the focus
/// lands on the screen's heading.
async fn open_with_keyboard(app: &App, screen: &str, key: Key, marker: &str) -> Result<()> {
    app.tab_to(&format!("nav-{screen}")).await?;
    app.press(key).await?;
    app.find(marker).await?;
    app.wait_attribute(&format!("nav-{screen}"), "aria-current", "page")
        .await?;
    let focused = app.focused().await?;
    ensure!(
        focused.in_main && focused.label.starts_with("h1"),
        "after opening {screen} the focus is on {} rather than the screen's heading",
        focused.label
    );
    Ok(())
}

#[tokio::test]
async fn every_screen_is_usable_with_the_keyboard_alone() -> Result<()> {
    let desk = SimulatedDesk::start(Layout::Current, |_| {}).await?;
    let mut app = App::start("keyboard", desk.app_options()).await?;
    app.find("flow-title").await?;

    // The first stop jumps past the navigation, straight to the screen.
    app.focus_top().await?;
    app.press(Key::Tab).await?;
    ensure!(app.focused().await?.test_id == "skip-to-main");
    app.press(Key::Enter).await?;
    let focused = app.focused().await?;
    ensure!(
        focused.in_main && focused.test_id == "flow-title",
        "the skip link left the focus on {}",
        focused.label
    );
    check_tab_order(&mut app, "new-signature").await?;

    // Continue with nothing filled in: the form says what is missing and puts the focus on
    // the first field to fix.
    app.tab_to("customer-continue").await?;
    app.press(Key::Enter).await?;
    app.wait_text("customer-summary", |text| text.contains("Check the fields"))
        .await?;
    let focused = app.focused().await?;
    ensure!(
        focused.test_id.starts_with("customer-"),
        "after Continue the focus is on {}",
        focused.label
    );
    app.screenshot("new-signature-refused").await?;

    open_with_keyboard(&app, "videoId", Key::Enter, "videoid-title").await?;
    check_tab_order(&mut app, "videoid").await?;
    open_with_keyboard(&app, "requests", Key::Space, "requests-screen").await?;
    check_tab_order(&mut app, "requests").await?;
    open_with_keyboard(&app, "preview", Key::Enter, "preview-screen").await?;
    check_tab_order(&mut app, "preview").await?;
    open_with_keyboard(&app, "settings", Key::Space, "settings-screen").await?;
    check_tab_order(&mut app, "settings").await?;
    open_with_keyboard(&app, "about", Key::Enter, "about-screen").await?;
    check_tab_order(&mut app, "about").await?;
    app.close().await
}

#[tokio::test]
async fn the_first_run_setup_is_usable_with_the_keyboard_alone() -> Result<()> {
    let mut app = App::start("keyboard-setup", AppOptions::default()).await?;
    app.wait_attribute("setup-screen", "data-step", "server")
        .await?;
    // The address field is ready for typing when the window opens.
    let mut focused = app.focused().await?;
    for _ in 0..20 {
        if focused.test_id == "setup-url" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        focused = app.focused().await?;
    }
    ensure!(
        focused.test_id == "setup-url",
        "the setup opens with the focus on {}",
        focused.label
    );
    check_tab_order(&mut app, "setup").await?;

    // Enter in the address field tries to continue; an empty address is explained there.
    app.tab_to("setup-url").await?;
    app.press(Key::Enter).await?;
    app.find("setup-url-problem").await?;
    app.screenshot("setup-empty-address").await?;
    app.close().await
}
