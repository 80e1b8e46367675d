//! Date helpers on jiff (feature `jiff`): the Rust face's
//! `toLiveAgentDateTime` and `fromLiveAgentDateTime`. The API writes
//! datetimes as `YYYY-MM-DD HH:MM:SS`, wall-clock time in the server's zone,
//! America/Los_Angeles for the vendor's (its rules are bundled, so wasm32
//! needs no tz database).

use alloc::string::String;

use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use jiff::Timestamp;

use crate::sansio::error::Error;
use crate::sansio::request::is_datetime;

/// The vendor's servers' zone.
pub const VENDOR_TIME_ZONE: &str = "America/Los_Angeles";

const FORMAT: &str = "%Y-%m-%d %H:%M:%S";

fn vendor_zone() -> Result<TimeZone, Error> {
    TimeZone::get(VENDOR_TIME_ZONE).map_err(|_| {
        Error::invalid_input(
            "to_live_agent_datetime",
            &["the time zone America/Los_Angeles is not available"],
        )
    })
}

/// `at` as the API writes it, in the vendor's zone
/// (`2024-03-10T10:00:00Z` is `"2024-03-10 03:00:00"`, PDT); sub-second
/// parts are dropped.
///
/// # Errors
///
/// [`Error::InvalidInput`] when its year in that zone is outside 0001-9999.
pub fn to_live_agent_datetime(at: Timestamp) -> Result<String, Error> {
    to_live_agent_datetime_in(at, &vendor_zone()?)
}

/// [`to_live_agent_datetime`] in another zone (a server that runs elsewhere).
///
/// # Errors
///
/// [`Error::InvalidInput`] when its year in `zone` is outside 0001-9999.
pub fn to_live_agent_datetime_in(at: Timestamp, zone: &TimeZone) -> Result<String, Error> {
    let local = zone.to_datetime(at);
    if local.year() < 1 {
        return Err(Error::invalid_input(
            "to_live_agent_datetime",
            &["the year is outside 0001-9999"],
        ));
    }
    Ok(alloc::string::ToString::to_string(&local.strftime(FORMAT)))
}

/// The instant that `text` names in the vendor's zone, or `None` when it
/// is not a valid datetime (`"2008-12-11 08:95:41"`, `"2024-02-30 10:00:00"`):
/// exactly the texts the client accepts as inputs. A wall-clock time that a
/// DST change skips moves forward by the gap; a repeated one is its first
/// occurrence (`Temporal`'s "compatible", as the JS face does).
pub fn from_live_agent_datetime(text: &str) -> Option<Timestamp> {
    from_live_agent_datetime_in(text, &vendor_zone().ok()?)
}

/// [`from_live_agent_datetime`] in another zone.
pub fn from_live_agent_datetime_in(text: &str, zone: &TimeZone) -> Option<Timestamp> {
    if !is_datetime(text) {
        return None;
    }
    let local = DateTime::strptime(FORMAT, text).ok()?;
    Some(zone.to_zoned_datetime(local).ok()?.timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn the_vendors_zone_with_its_dst() {
        let text = to_live_agent_datetime(at("2024-03-10T10:00:00Z")).ok();
        assert_eq!(text.as_deref(), Some("2024-03-10 03:00:00"));
        let winter = to_live_agent_datetime(at("2024-01-15T20:30:59.9Z")).ok();
        assert_eq!(winter.as_deref(), Some("2024-01-15 12:30:59"));
        assert_eq!(
            from_live_agent_datetime("2024-01-15 12:30:59"),
            Some(at("2024-01-15T20:30:59Z"))
        );
        // Skipped by spring forward: moved by the gap (03:30 PDT).
        assert_eq!(
            from_live_agent_datetime("2024-03-10 02:30:00"),
            Some(at("2024-03-10T10:30:00Z"))
        );
        // Repeated at fall back: its first occurrence (01:30 PDT).
        assert_eq!(
            from_live_agent_datetime("2024-11-03 01:30:00"),
            Some(at("2024-11-03T08:30:00Z"))
        );
        let berlin = TimeZone::get("Europe/Berlin").unwrap_or_else(|e| panic!("{e}"));
        let text = to_live_agent_datetime_in(at("2024-03-10T10:00:00Z"), &berlin).ok();
        assert_eq!(text.as_deref(), Some("2024-03-10 11:00:00"));
    }

    #[test]
    fn invalid_texts_are_none_as_in_js() {
        for bad in [
            "2008-12-11 08:95:41",
            "2024-02-30 10:00:00",
            "2023-02-29 10:00:00",
            "0000-01-01 00:00:00",
            "2024-01-01T00:00:00",
            "",
        ] {
            assert_eq!(from_live_agent_datetime(bad), None, "{bad}");
        }
        assert!(from_live_agent_datetime("2024-02-29 10:00:00").is_some());
    }
}
