//! The listing aggregate: content, commands, events and the state they fold into.

mod catalogue;
mod command;
mod content;
mod country;
mod event;
mod state;

pub use catalogue::Catalogue;
pub use command::ListingCommand;
pub use content::{
    AttributeValue, Attributes, Declaration, ListingContent, NetQuantity, PackagedDeclarations,
    QuantityUnit, UnitSalePrice,
};
pub(crate) use country::{country_code_for_name, iso_country};
pub use event::ListingEvent;
pub use state::{Listing, ListingStatus, RevisionStage};
