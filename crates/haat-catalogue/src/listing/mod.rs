//! The listing aggregate: content, commands, events and the state they fold into.

mod catalogue;
mod command;
mod content;
mod event;
mod state;

pub use catalogue::Catalogue;
pub use command::ListingCommand;
pub use content::{
    AttributeValue, Attributes, ListingContent, NetQuantity, PackagedDeclarations, QuantityUnit,
};
pub use event::ListingEvent;
pub use state::{Listing, ListingStatus, RevisionStage};
