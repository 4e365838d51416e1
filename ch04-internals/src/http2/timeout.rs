//! The `grpc-timeout` header: how long the server has, as at most eight digits and a unit.
//!
//! Units are `H` (hours), `M` (minutes), `S` (seconds), `m` (milliseconds), `u`
//! (microseconds) and `n` (nanoseconds). The coarsest unit that states the duration exactly
//! reads best (`1S`, not `1000000u`); a duration no unit states exactly in eight digits is
//! rounded up in the finest unit that fits, so the server never gets less time than asked.

use std::time::Duration;

/// The most digits a `grpc-timeout` value may have.
const MAX_DIGITS: u128 = 99_999_999;

/// Each unit with its length in nanoseconds, coarsest first.
const UNITS: [(char, u128); 6] = [
    ('H', 3_600_000_000_000),
    ('M', 60_000_000_000),
    ('S', 1_000_000_000),
    ('m', 1_000_000),
    ('u', 1_000),
    ('n', 1),
];

/// The `grpc-timeout` value for `timeout`.
pub fn grpc_timeout(timeout: Duration) -> String {
    let nanos = timeout.as_nanos();
    let exact = UNITS
        .iter()
        .find(|(_, unit)| nanos.is_multiple_of(*unit) && nanos / unit <= MAX_DIGITS);
    let (symbol, count) = match exact {
        Some((symbol, unit)) => (*symbol, nanos / unit),
        None => UNITS
            .iter()
            .rev()
            .map(|(symbol, unit)| (*symbol, nanos.div_ceil(*unit)))
            .find(|(_, count)| *count <= MAX_DIGITS)
            .unwrap_or(('H', MAX_DIGITS)),
    };
    format!("{count}{symbol}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_coarsest_exact_unit_is_used() {
        assert_eq!(grpc_timeout(Duration::from_secs(1)), "1S");
        assert_eq!(grpc_timeout(Duration::from_millis(1500)), "1500m");
        assert_eq!(grpc_timeout(Duration::from_secs(120)), "2M");
        assert_eq!(grpc_timeout(Duration::from_secs(7200)), "2H");
        assert_eq!(grpc_timeout(Duration::from_nanos(7)), "7n");
        assert_eq!(grpc_timeout(Duration::ZERO), "0H");
    }

    #[test]
    fn values_never_exceed_eight_digits() {
        // 1.000000001 s is 1000000001 ns: ten digits. Rounded up to microseconds.
        assert_eq!(grpc_timeout(Duration::new(1, 1)), "1000001u");
        assert_eq!(grpc_timeout(Duration::MAX), "99999999H");
    }
}
