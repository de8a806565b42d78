//! Sites for the network's locations when the seller app has surveyed none: each location at
//! its district's headquarters.

use haat_core::StateCode;
use haat_inventory::Network;

use crate::{Site, Sites};

/// The headquarters of West Bengal's districts, `latitude,longitude` to four places (about
/// ten metres; the town, not a building).
const WEST_BENGAL_HEADQUARTERS: [(&str, &str, &str); 23] = [
    ("Kolkata", "Kolkata", "22.5726,88.3639"),
    ("North 24 Parganas", "Barasat", "22.7229,88.4800"),
    ("South 24 Parganas", "Alipore", "22.5367,88.3300"),
    ("Howrah", "Howrah", "22.5958,88.2636"),
    ("Hooghly", "Chinsurah", "22.9000,88.3900"),
    ("Nadia", "Krishnanagar", "23.4058,88.4907"),
    ("Purba Bardhaman", "Bardhaman", "23.2324,87.8615"),
    ("Paschim Bardhaman", "Asansol", "23.6739,86.9524"),
    ("Purba Medinipur", "Tamluk", "22.3000,87.9167"),
    ("Paschim Medinipur", "Medinipur", "22.4248,87.3197"),
    ("Murshidabad", "Baharampur", "24.1000,88.2500"),
    ("Darjeeling", "Darjeeling", "27.0410,88.2663"),
    ("Jalpaiguri", "Jalpaiguri", "26.5167,88.7167"),
    ("Malda", "English Bazar", "25.0108,88.1411"),
    ("Bankura", "Bankura", "23.2500,87.0667"),
    ("Birbhum", "Suri", "23.9100,87.5300"),
    ("Cooch Behar", "Cooch Behar", "26.3240,89.4510"),
    ("Purulia", "Purulia", "23.3320,86.3650"),
    ("Alipurduar", "Alipurduar", "26.4833,89.5167"),
    ("Jhargram", "Jhargram", "22.4500,86.9900"),
    ("Uttar Dinajpur", "Raiganj", "25.6167,88.1167"),
    ("Dakshin Dinajpur", "Balurghat", "25.2167,88.7667"),
    ("Kalimpong", "Kalimpong", "27.0600,88.4700"),
];

/// A site for every stock-holding location of `network` in West Bengal: the location's name as
/// its street, and its district headquarters' town and coordinates. ONDC asks every location
/// for coordinates, which the network does not keep; a seller app that knows a location's
/// own replaces its entry.
///
/// ```
/// use haat_inventory::Network;
/// let network = Network::west_bengal_reference()?;
/// let sites = haat_ondc::district_sites(&network);
/// let kalyani = network.locations().find(|l| l.name() == "Kalyani fulfilment centre").ok_or("no Kalyani")?;
/// let kalyani = &sites[&kalyani.id()];
/// assert_eq!((kalyani.locality.as_str(), kalyani.gps.as_str()), ("Krishnanagar", "23.4058,88.4907"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn district_sites(network: &Network) -> Sites {
    network
        .locations()
        .filter(|l| l.holds_stock() && l.state() == StateCode::WEST_BENGAL)
        .filter_map(|l| {
            let district = l.district().name();
            let (_, town, gps) = WEST_BENGAL_HEADQUARTERS
                .iter()
                .find(|(name, _, _)| *name == district)?;
            Some((
                l.id(),
                Site {
                    gps: (*gps).to_owned(),
                    street: l.name().to_owned(),
                    locality: (*town).to_owned(),
                },
            ))
        })
        .collect()
}
