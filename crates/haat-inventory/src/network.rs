//! The fulfilment network: fulfilment centres, metropolitan and last-mile hubs.
