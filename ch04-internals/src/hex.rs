//! Bytes as hex, the way the book prints them: `0a 02 31 35`.

use std::fmt::Write as _;

/// The bytes as two-digit lowercase hex, separated by spaces.
pub fn hex(bytes: &[u8]) -> String {
    let mut text = String::with_capacity(bytes.len() * 3);
    for (index, byte) in bytes.iter().enumerate() {
        if index > 0 {
            text.push(' ');
        }
        // Writing to a String cannot fail.
        let _ = write!(text, "{byte:02x}");
    }
    text
}

/// Lines of at most `per_line` bytes each, in hex.
pub fn hex_lines(bytes: &[u8], per_line: usize) -> Vec<String> {
    bytes.chunks(per_line.max(1)).map(hex).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_is_lowercase_and_spaced() {
        assert_eq!(hex(&[0x0a, 0x02, 0x31, 0x35]), "0a 02 31 35");
        assert_eq!(hex(&[]), "");
        assert_eq!(hex_lines(&[1, 2, 3], 2), ["01 02", "03"]);
    }
}
