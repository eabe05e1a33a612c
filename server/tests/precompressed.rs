//! The bundle is served as compressed at build time (issue 13): a browser that accepts brotli
//! gets the `.br` file beside the asset, byte for byte, with its Content-Encoding, Content-Length
//! and `Vary: accept-encoding`; gzip-only gets the `.gz`; anything else the raw file.

mod common;

use common::*;
use reqwest::StatusCode;
use std::io::Write;

#[tokio::test]
async fn assets_are_served_precompressed_with_the_right_headers() {
    let s = server().await;
    let pkg = s.site_root().join("pkg");
    std::fs::create_dir_all(&pkg).expect("pkg dir");
    let raw: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    let mut br = Vec::new();
    {
        let mut w = brotli::CompressorWriter::new(&mut br, 4096, 11, 22);
        w.write_all(&raw).expect("brotli");
    }
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(&raw).expect("gzip");
    let gz = gz.finish().expect("gzip");
    std::fs::write(pkg.join("rounds.wasm"), &raw).expect("write");
    std::fs::write(pkg.join("rounds.wasm.br"), &br).expect("write");
    std::fs::write(pkg.join("rounds.wasm.gz"), &gz).expect("write");

    // reqwest here decompresses nothing: what arrives is what went over the wire.
    let c = client();
    for (accept, encoding, body) in [("br, gzip", Some("br"), &br), ("gzip", Some("gzip"), &gz), ("identity", None, &raw)] {
        let resp = c.get(s.url("/pkg/rounds.wasm")).header("accept-encoding", accept).send().await.expect("asset");
        assert_eq!(resp.status(), StatusCode::OK, "{accept}");
        let h = resp.headers().clone();
        assert_eq!(h.get("content-encoding").and_then(|v| v.to_str().ok()), encoding, "{accept}");
        assert!(h.get_all("vary").iter().any(|v| v.to_str().is_ok_and(|v| v.to_ascii_lowercase().contains("accept-encoding"))), "{accept}");
        assert_eq!(h.get("content-length").and_then(|v| v.to_str().ok()), Some(body.len().to_string().as_str()), "{accept}");
        let got = resp.bytes().await.expect("body");
        assert!(got.as_ref() == body.as_slice(), "{accept}: the precompressed file, byte for byte");
    }
}
