//! Flash notifications (Cloudscape "flashbar"): success, info, warning, error and in-progress
//! messages shown above the page content. Pages push messages through [`Flashes`], which the
//! shell provides as context.

use leptos::prelude::*;

/// The kind of a notification; decides colour, icon and how screen readers announce it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FlashKind {
    Success,
    Info,
    Warning,
    Error,
    InProgress,
}

impl FlashKind {
    /// CSS modifier class.
    pub fn class(self) -> &'static str {
        match self {
            FlashKind::Success => "flash flash-success",
            FlashKind::Info => "flash flash-info",
            FlashKind::Warning => "flash flash-warning",
            FlashKind::Error => "flash flash-error",
            FlashKind::InProgress => "flash flash-progress",
        }
    }

    /// Errors and warnings interrupt a screen reader; the rest wait their turn.
    pub fn role(self) -> &'static str {
        match self {
            FlashKind::Error | FlashKind::Warning => "alert",
            _ => "status",
        }
    }

    /// The word read before the message.
    pub fn label(self) -> &'static str {
        match self {
            FlashKind::Success => "Success",
            FlashKind::Info => "Info",
            FlashKind::Warning => "Warning",
            FlashKind::Error => "Error",
            FlashKind::InProgress => "In progress",
        }
    }
}

/// How many success messages are shown at once.
const MAX_SUCCESS: usize = 3;

/// How long a success message stays.
const SUCCESS_MS: u64 = 8_000;

/// How long a notice with "Undo" stays (at least 10 s: time to read it and change one's mind).
pub const UNDO_MS: u64 = 15_000;

/// Marks a notice from [`Flashes::push_undo`] while it is made.
const UNDO_KEY: &str = "gc.undo";

/// A button a notification offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FlashAction {
    /// "Retry": runs sync again.
    RetrySync,
    /// A pull would delete many groups here: "Delete them here too" or "Keep them here and
    /// stop syncing".
    ConfirmMassDeletion,
    /// The credentials reach another account: "Switch account (start fresh here)" or "Cancel".
    SwitchAccount,
    /// "Undo" the change the notice reports (`ui::undo`).
    Undo,
    /// "Reload" into the new version that is ready (`ui::update`).
    ApplyUpdate,
}

/// One notification.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flash {
    pub id: u32,
    pub kind: FlashKind,
    pub header: String,
    pub content: String,
    pub dismissible: bool,
    /// A key under which a dismissal is remembered across visits, for one-time notices.
    pub remember_dismissal: Option<&'static str>,
    pub action: Option<FlashAction>,
}

/// The list of notifications currently shown. Cheap to copy; get it with `expect_context`.
#[derive(Clone, Copy)]
pub struct Flashes {
    items: RwSignal<Vec<Flash>>,
    next_id: StoredValue<u32>,
}

impl Default for Flashes {
    fn default() -> Self {
        Self::new()
    }
}

impl Flashes {
    pub fn new() -> Self {
        Self {
            items: RwSignal::new(Vec::new()),
            next_id: StoredValue::new(1),
        }
    }

    /// Shows a dismissible notification and returns its id.
    pub fn push(
        &self,
        kind: FlashKind,
        header: impl Into<String>,
        content: impl Into<String>,
    ) -> u32 {
        self.push_flash(kind, header.into(), content.into(), None)
    }

    /// Shows a notice once: after it is dismissed it does not come back on later visits.
    pub fn push_once(&self, key: &'static str, kind: FlashKind, header: &str, content: &str) {
        if super::browser::pref(key).as_deref() == Some("dismissed") {
            return;
        }
        if self
            .items
            .with_untracked(|items| items.iter().any(|f| f.remember_dismissal == Some(key)))
        {
            return;
        }
        self.push_flash(kind, header.to_owned(), content.to_owned(), Some(key));
    }

    /// Shows a notification that cannot be dismissed (a state that lasts, such as memory mode).
    pub fn push_sticky(&self, kind: FlashKind, header: &str, content: &str) {
        if self
            .items
            .with_untracked(|items| items.iter().any(|f| f.header == header))
        {
            return;
        }
        let id = self.push_flash(kind, header.to_owned(), content.to_owned(), None);
        self.items.update(|items| {
            if let Some(f) = items.iter_mut().find(|f| f.id == id) {
                f.dismissible = false;
            }
        });
    }

    fn push_flash(
        &self,
        kind: FlashKind,
        header: String,
        content: String,
        remember: Option<&'static str>,
    ) -> u32 {
        let id = self.next_id.get_value();
        self.next_id.set_value(id + 1);
        // Success messages go by themselves; errors, warnings and notices stay until dismissed.
        // A notice with "Undo" ([`Flashes::push_undo`]) sets its own, longer time.
        if kind == FlashKind::Success && remember != Some(UNDO_KEY) {
            let flashes = *self;
            set_timeout(
                move || flashes.dismiss(id),
                std::time::Duration::from_millis(SUCCESS_MS),
            );
        }
        self.items.update(|items| {
            // At most a few success messages at once: the oldest go first.
            while items
                .iter()
                .filter(|f| f.kind == FlashKind::Success)
                .count()
                >= MAX_SUCCESS
            {
                if let Some(pos) = items.iter().position(|f| f.kind == FlashKind::Success) {
                    items.remove(pos);
                }
            }
            items.push(Flash {
                id,
                kind,
                header,
                content,
                dismissible: true,
                remember_dismissal: remember,
                action: None,
            })
        });
        id
    }

    /// Shows a dismissible notification with an action button.
    pub fn push_with_action(
        &self,
        kind: FlashKind,
        header: &str,
        content: &str,
        action: FlashAction,
    ) -> u32 {
        let id = self.push_flash(kind, header.to_owned(), content.to_owned(), None);
        self.items.update(|items| {
            if let Some(f) = items.iter_mut().find(|f| f.id == id) {
                f.action = Some(action);
            }
        });
        id
    }

    /// Shows the success notice of a change that can be undone, with "Undo", for [`UNDO_MS`].
    /// An earlier notice with "Undo" goes: only the latest change can be undone from here.
    pub fn push_undo(&self, header: &str, content: &str) -> u32 {
        self.items
            .update(|items| items.retain(|f| f.action != Some(FlashAction::Undo)));
        let id = self.push_flash(
            FlashKind::Success,
            header.to_owned(),
            content.to_owned(),
            Some(UNDO_KEY),
        );
        self.items.update(|items| {
            if let Some(f) = items.iter_mut().find(|f| f.id == id) {
                f.action = Some(FlashAction::Undo);
                // Not a one-time notice: the key only marks it for `push_flash`.
                f.remember_dismissal = None;
            }
        });
        let flashes = *self;
        set_timeout(
            move || flashes.dismiss(id),
            std::time::Duration::from_millis(UNDO_MS),
        );
        id
    }

    /// Whether a notification is still shown.
    pub fn shown(&self, id: u32) -> bool {
        self.items
            .with_untracked(|items| items.iter().any(|f| f.id == id))
    }

    /// Shows a notification unless one with the same header is still shown (it is updated).
    pub fn push_once_per_run(&self, kind: FlashKind, header: &str, content: &str) {
        let mut found = false;
        self.items.update(|items| {
            if let Some(f) = items.iter_mut().find(|f| f.header == header) {
                f.content = content.to_owned();
                found = true;
            }
        });
        if !found {
            self.push(kind, header, content);
        }
    }

    /// Removes a one-time notice without remembering a dismissal (its reason went away).
    pub fn withdraw(&self, key: &'static str) {
        self.items
            .update(|items| items.retain(|f| f.remember_dismissal != Some(key)));
    }

    /// Removes a notification (the person dismissed it, or the work it reported finished).
    pub fn dismiss(&self, id: u32) {
        self.items.update(|items| {
            if let Some(pos) = items.iter().position(|f| f.id == id) {
                let flash = items.remove(pos);
                if let Some(key) = flash.remember_dismissal {
                    super::browser::set_pref(key, "dismissed");
                }
            }
        });
    }

    /// The notifications, newest last.
    pub fn items(&self) -> Signal<Vec<Flash>> {
        self.items.into()
    }
}
