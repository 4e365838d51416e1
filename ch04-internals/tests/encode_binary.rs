//! `ch04-encode`, run as a reader runs it.

use std::process::Output;

use tokio::process::Command;

async fn encode(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ch04-encode"))
        .args(args)
        .output()
        .await
        .expect("run ch04-encode")
}

fn stdout(output: &Output) -> String {
    assert!(output.status.success(), "{output:?}");
    String::from_utf8(output.stdout.clone()).expect("UTF-8")
}

#[tokio::test]
async fn the_books_product_id_is_explained_byte_by_byte() {
    let text = stdout(&encode(&["--product-id", "15"]).await);
    assert_eq!(
        text,
        "ProductID { value: \"15\" }\n\
         \n\
         protobuf encoding, 4 bytes:\n  \
         0a                       tag: field 1 (value), wire type 2 (length-delimited): (1 << 3) | 2 = 10\n  \
         02                       length: 2\n  \
         31 35                    \"15\"\n\
         \n\
         length-prefixed message, 9 bytes:\n  \
         00                       compressed-flag: 0 (not compressed)\n  \
         00 00 00 04              message length: 4 (4 bytes, big-endian)\n  \
         0a 02 31 35              message: the 4 bytes above\n\
         \n\
         prost's encode_to_vec gives the same 4 bytes.\n"
    );
}

#[tokio::test]
async fn without_arguments_it_explains_the_books_three_messages() {
    let text = stdout(&encode(&[]).await);
    let titles: Vec<&str> = text
        .lines()
        .filter(|line| line.starts_with(|c: char| c.is_ascii_uppercase()))
        .collect();
    assert_eq!(
        titles,
        [
            "ProductID { value: \"15\" }",
            "Product { id: \"\", name: \"Apple iPhone 11\", description: \"Meet Apple iPhone 11. \
             All-new dual-camera system with Ultra Wide and Night mode.\", price: 699.0 }",
            "Order { id: \"102\", items: [\"Google Pixel 3A\", \"Mac Book Pro\"], description: \"\", \
             price: 1800.0, destination: \"Mountain View, CA\" }",
        ]
    );
    assert_eq!(
        text.matches("prost's encode_to_vec gives the same").count(),
        3
    );
    assert!(text.contains(
        "  25                       tag: field 4 (price), wire type 5 (32-bit): (4 << 3) | 5 = 37\n  \
         00 c0 2e 44              699.0 (float, little-endian; bits 0x442ec000)\n"
    ));
    assert!(text.contains("  (not on the wire, holding their default value: id)\n"));
    assert!(text.contains("  (not on the wire, holding their default value: description)\n"));
}

#[tokio::test]
async fn an_order_of_your_own_shows_one_tag_per_item_and_long_varints() {
    let long_item = "x".repeat(200);
    let text = stdout(
        &encode(&[
            "--order", "7", "--item", "커피", "--item", &long_item, "--price", "-0",
        ])
        .await,
    );
    assert_eq!(
        text.matches("tag: field 2 (items), wire type 2 (length-delimited)")
            .count(),
        2
    );
    assert!(
        text.contains("  06                       length: 6\n"),
        "{text}"
    );
    assert!(
        text.contains("\"커피\": 2 characters in 6 bytes of UTF-8"),
        "{text}"
    );
    assert!(
        text.contains("  c8 01                    length: 200 (varint: 72 + 1 × 128)\n"),
        "{text}"
    );
    assert!(
        text.contains("  00 00 00 80              -0.0 (float, little-endian; bits 0x80000000)\n"),
        "{text}"
    );
    assert!(
        text.contains("(prost 0.14 leaves out a float of -0.0, which proto3 says to write"),
        "{text}"
    );
}

#[tokio::test]
async fn fields_of_another_message_are_usage_errors() {
    let output = encode(&["--product-id", "15", "--item", "x"]).await;
    assert_eq!(output.status.code(), Some(2));
    let output = encode(&["--product", "a", "--order", "b"]).await;
    assert_eq!(output.status.code(), Some(2));
}
