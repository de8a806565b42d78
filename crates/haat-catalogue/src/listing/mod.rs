//! The listing aggregate: content, commands, events and the state they fold into.

mod content;
mod event;

pub use content::{
    AttributeValue, ListingContent, NetQuantity, PackagedDeclarations, QuantityUnit,
};
pub use event::ListingEvent;
