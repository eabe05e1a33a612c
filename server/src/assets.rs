//! The hashed names of this build's JS, wasm and CSS, as cargo-leptos wrote them; with
//! `--split`, also the loader of the split-out chunks, which the main JS imports at start.

use std::path::Path;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildAssets {
    /// `/pkg/rounds.<hash>.js`
    pub js: String,
    pub wasm: String,
    pub css: String,
    /// `/pkg/__wasm_split.<hash>.js`: loads a split-out page's chunk (`cargo leptos build --split`);
    /// part of every start, so precached with the main files.
    pub split_js: Option<String>,
    /// Changes with every build that changes any asset; names the service worker's cache.
    pub build_id: String,
}

impl BuildAssets {
    /// Reads cargo-leptos' `hash.txt` (`js: …`, `wasm: …`, `css: …`); without hashing the names
    /// are plain and the build id is the server's start time.
    pub fn load(output_name: &str, pkg_dir: &str, hash_file: Option<&Path>) -> BuildAssets {
        let text = hash_file.and_then(|p| std::fs::read_to_string(p).ok());
        match text {
            Some(text) => Self::from_hash_text(output_name, pkg_dir, &text),
            None => BuildAssets {
                js: format!("/{pkg_dir}/{output_name}.js"),
                wasm: format!("/{pkg_dir}/{output_name}.wasm"),
                css: format!("/{pkg_dir}/{output_name}.css"),
                split_js: None,
                build_id: format!("dev-{}", chrono::Utc::now().timestamp()),
            },
        }
    }

    pub fn from_hash_text(output_name: &str, pkg_dir: &str, text: &str) -> BuildAssets {
        let mut hashes = std::collections::BTreeMap::new();
        for line in text.lines() {
            if let Some((file, hash)) = line.split_once(':') {
                hashes.insert(file.trim().to_string(), hash.trim().to_string());
            }
        }
        let name = |kind: &str, ext: &str| match hashes.get(kind) {
            Some(h) => format!("/{pkg_dir}/{output_name}.{h}.{ext}"),
            None => format!("/{pkg_dir}/{output_name}.{ext}"),
        };
        let split_js = hashes.get("split").map(|h| format!("/{pkg_dir}/__wasm_split.{h}.js"));
        let build_id = ["js", "wasm", "css", "split"].iter().filter_map(|k| hashes.get(*k)).map(|h| &h[..h.len().min(8)]).collect::<Vec<_>>().join("");
        BuildAssets { js: name("js", "js"), wasm: name("wasm", "wasm"), css: name("css", "css"), split_js, build_id }
    }
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
    fn missing_hash_file_gives_plain_names() {
        let a = BuildAssets::load("rounds", "pkg", Some(Path::new("/nonexistent/hash.txt")));
        assert_eq!(a.js, "/pkg/rounds.js");
        assert!(a.build_id.starts_with("dev-"));
    }
}
