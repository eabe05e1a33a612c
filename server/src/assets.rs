//! The hashed names of this build's JS, wasm and CSS, as cargo-leptos wrote them; with
//! `--split`, also the loader of the split-out chunks, which the main JS imports at start, and
//! the chunks of the field pages, which the service worker precaches for a signed-in phone.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The split manifest names each split after its lazy function, `<name>_<hash>` (a route's own
/// `__<route>_view_<hash>`); the field pages' groups are the functions `field_…` (app/src/split.rs).
const FIELD_SPLIT_PREFIX: &str = "field_";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildAssets {
    /// `/pkg/rounds.<hash>.js`
    pub js: String,
    pub wasm: String,
    pub css: String,
    /// `/pkg/__wasm_split.<hash>.js`: loads a split-out page's chunk (`cargo leptos build --split`);
    /// part of every start, so precached with the main files.
    pub split_js: Option<String>,
    /// `/pkg/<chunk>.wasm` for every chunk a field page loads (its own and those it shares), from
    /// the split manifest: what a phone needs to open every field page offline, sorted.
    pub field_chunks: Vec<String>,
    /// Changes with every build that changes any asset; names the service worker's cache.
    pub build_id: String,
}

impl BuildAssets {
    /// Reads cargo-leptos' `hash.txt` (`js: …`, `wasm: …`, `css: …`) and, for a split build, the
    /// split manifest under `site_root`; without hashing the names are plain and the build id is
    /// the server's start time.
    pub fn load(output_name: &str, pkg_dir: &str, hash_file: Option<&Path>, site_root: &Path) -> BuildAssets {
        let text = hash_file.and_then(|p| std::fs::read_to_string(p).ok());
        match text {
            Some(text) => {
                let mut assets = Self::from_hash_text(output_name, pkg_dir, &text);
                if let Some(manifest) = hash_value(&text, "manifest") {
                    let path = site_root.join(pkg_dir).join(format!("__wasm_split_manifest.{manifest}.json"));
                    match std::fs::read_to_string(&path).map_err(|e| e.to_string()).and_then(|m| field_chunks(pkg_dir, &m)) {
                        Ok(chunks) => assets.field_chunks = chunks,
                        // The field pages then open offline only once opened online: worth a word.
                        Err(e) => tracing::warn!("split manifest {}: {e}", path.display()),
                    }
                }
                assets
            }
            None => BuildAssets {
                js: format!("/{pkg_dir}/{output_name}.js"),
                wasm: format!("/{pkg_dir}/{output_name}.wasm"),
                css: format!("/{pkg_dir}/{output_name}.css"),
                split_js: None,
                field_chunks: Vec::new(),
                build_id: format!("dev-{}", chrono::Utc::now().timestamp()),
            },
        }
    }

    pub fn from_hash_text(output_name: &str, pkg_dir: &str, text: &str) -> BuildAssets {
        let hashes = hashes(text);
        let name = |kind: &str, ext: &str| match hashes.get(kind) {
            Some(h) => format!("/{pkg_dir}/{output_name}.{h}.{ext}"),
            None => format!("/{pkg_dir}/{output_name}.{ext}"),
        };
        let split_js = hashes.get("split").map(|h| format!("/{pkg_dir}/__wasm_split.{h}.js"));
        let build_id = ["js", "wasm", "css", "split"].iter().filter_map(|k| hashes.get(*k)).map(|h| &h[..h.len().min(8)]).collect::<Vec<_>>().join("");
        BuildAssets { js: name("js", "js"), wasm: name("wasm", "wasm"), css: name("css", "css"), split_js, field_chunks: Vec::new(), build_id }
    }
}

fn hashes(text: &str) -> BTreeMap<String, String> {
    text.lines().filter_map(|line| line.split_once(':')).map(|(file, hash)| (file.trim().to_string(), hash.trim().to_string())).collect()
}

fn hash_value(text: &str, key: &str) -> Option<String> {
    hashes(text).remove(key)
}

/// The chunks of the field pages in a split manifest (`{ "<split>": ["<chunk file stem>", …] }`).
pub fn field_chunks(pkg_dir: &str, manifest: &str) -> Result<Vec<String>, String> {
    let splits: BTreeMap<String, Vec<String>> = serde_json::from_str(manifest).map_err(|e| e.to_string())?;
    let chunks: BTreeSet<String> = splits
        .into_iter()
        .filter(|(split, _)| split.trim_start_matches('_').starts_with(FIELD_SPLIT_PREFIX))
        .flat_map(|(_, chunks)| chunks)
        .map(|c| format!("/{pkg_dir}/{c}.wasm"))
        .collect();
    Ok(chunks.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_cargo_leptos_hash_file() {
        let a = BuildAssets::from_hash_text("rounds", "pkg", "js: abc123\nwasm: def456\ncss: 789aaa\n");
        assert_eq!(a.js, "/pkg/rounds.abc123.js");
        assert_eq!(a.wasm, "/pkg/rounds.def456.wasm");
        assert_eq!(a.css, "/pkg/rounds.789aaa.css");
        assert_eq!(a.build_id, "abc123def456789aaa");
        assert_eq!(a.split_js, None);
    }

    #[test]
    fn reads_the_split_loader_of_a_split_build() {
        let a = BuildAssets::from_hash_text("rounds", "pkg", "js: abc123\nwasm: def456\ncss: 789aaa\nmanifest: 0a0a0a\nsplit: 5p1175p1\n");
        assert_eq!(a.split_js.as_deref(), Some("/pkg/__wasm_split.5p1175p1.js"));
        assert_eq!(a.build_id, "abc123def456789aaa5p1175p1");
    }

    #[test]
    fn the_field_pages_chunks_come_from_the_split_manifest() {
        let manifest = r#"{
            "field_rooms_51": ["chunk_3.aa", "split_field_rooms_51.bb"],
            "field_students_51": ["chunk_3.aa", "chunk_4.cc", "split_field_students_51.dd"],
            "__rules_view_51": ["chunk_4.cc", "chunk_9.ee", "split___rules_view_51.ff"]
        }"#;
        let chunks = field_chunks("pkg", manifest).expect("a manifest");
        assert_eq!(chunks, ["/pkg/chunk_3.aa.wasm", "/pkg/chunk_4.cc.wasm", "/pkg/split_field_rooms_51.bb.wasm", "/pkg/split_field_students_51.dd.wasm"]);
        assert!(field_chunks("pkg", "not json").is_err());
    }

    #[test]
    fn a_split_build_reads_its_manifest_beside_the_chunks() {
        let site = std::env::temp_dir().join(format!("rounds-assets-{}", std::process::id()));
        std::fs::create_dir_all(site.join("pkg")).expect("temp dir");
        std::fs::write(site.join("pkg/__wasm_split_manifest.m4n1.json"), r#"{"field_students_1": ["split_field_students_1.x"]}"#).expect("manifest");
        let hash_file = site.join("hash.txt");
        std::fs::write(&hash_file, "js: a\nwasm: b\ncss: c\nmanifest: m4n1\nsplit: d\n").expect("hash file");
        let a = BuildAssets::load("rounds", "pkg", Some(&hash_file), &site);
        std::fs::remove_dir_all(&site).ok();
        assert_eq!(a.field_chunks, ["/pkg/split_field_students_1.x.wasm"]);
    }

    #[test]
    fn missing_hash_file_gives_plain_names() {
        let a = BuildAssets::load("rounds", "pkg", Some(Path::new("/nonexistent/hash.txt")), Path::new("/nonexistent"));
        assert_eq!(a.js, "/pkg/rounds.js");
        assert!(a.build_id.starts_with("dev-"));
    }
}
