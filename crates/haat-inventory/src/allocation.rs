//! Allocation: which locations fulfil an order.
