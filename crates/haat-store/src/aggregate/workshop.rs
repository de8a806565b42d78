//! A workshop's stream, `workshop/<id>`: scheduling, attendance, attendees who became
//! sellers.
//!
//! `Workshop` has no serde form, so it is rebuilt from events; a workshop's stream is as
//! long as its attendance sheet (tens to a few hundred events).

use chrono::{DateTime, Utc};
use haat_core::WorkshopId;
use haat_seller::{Error, Workshop, WorkshopCommand, WorkshopEvent};

use super::Aggregate;

impl Aggregate for Workshop {
    const KIND: &'static str = "workshop";
    const SNAPSHOT_VERSION: Option<u32> = None;

    type Id = WorkshopId;
    type Command = WorkshopCommand;
    type Event = WorkshopEvent;
    type Error = Error;
    type Context = ();

    /// Scheduling names the workshop, and must name this stream's.
    fn belongs(id: &WorkshopId, command: &WorkshopCommand) -> bool {
        match command {
            WorkshopCommand::Schedule { id: asked, .. } => asked == id,
            _ => true,
        }
    }

    fn decide(
        &self,
        _: &(),
        command: &WorkshopCommand,
        now: DateTime<Utc>,
    ) -> Result<Vec<WorkshopEvent>, Error> {
        Workshop::decide(self, command, now)
    }

    fn apply(&mut self, event: &WorkshopEvent) {
        Workshop::apply(self, event);
    }
}
