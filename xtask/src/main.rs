//! Developer tasks for tlstriage. `gen-captures` writes the sample captures in
//! samples/captures/ from real rustls handshakes framed as TCP/IP; `gen-dense` writes a large
//! capture of many handshakes for benchmarks; `gen-bulk` a large capture of long connections
//! carrying megabytes of encrypted application data each; `gen-bundles` writes the sample troubleshoot
//! bundles in samples/bundles/; `gen-fleet` N generated bundles of many systems for `fleet`; `gen-small` a folder of many small
//! logs, certificates and captures; `appliance-trees` lays troubleshoot bundles out as the
//! appliances' own trees for `tlstriage check --root`. Output is deterministic: same code, same
//! bytes.

mod archive;
mod bulk;
mod bundle_pki;
mod bundles;
mod cases;
mod crypto;
mod fleet;
mod pcap;
mod pki;
mod plan;
mod scenarios;
mod small;
mod special;
mod tcp;
mod tls;
mod world;

use std::path::PathBuf;

use anyhow::{bail, Context, Result};

const USAGE: &str = "usage: cargo run -p xtask -- gen-captures [--out DIR]\n       \
                     cargo run -p xtask -- gen-dense --connections N --out FILE\n       \
                     cargo run -p xtask -- gen-bulk --connections N --mb-per-conn M --out FILE\n       \
                     cargo run -p xtask -- gen-bundles [--out DIR]\n       \
                     cargo run -p xtask -- gen-cases [--out DIR]\n       \
                     cargo run -p xtask -- gen-fleet --count N --out DIR\n       \
                     cargo run -p xtask -- gen-small --count N --out DIR\n       \
                     cargo run -p xtask -- appliance-trees [--out DIR] [BUNDLE...]";

fn flag(args: &[String], name: &str) -> Option<String> {
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned()
}

fn gen_captures(args: &[String]) -> Result<()> {
    let dir = PathBuf::from(flag(args, "--out").unwrap_or_else(|| "samples/captures".into()));
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let mut files = scenarios::classic()?;
    files.push(special::reordered()?);
    files.push(special::sll2()?);
    files.push(special::sslv2_hello()?);
    for (name, bytes) in files {
        let path = dir.join(name);
        std::fs::write(&path, &bytes).with_context(|| format!("writing {}", path.display()))?;
        println!("wrote {} ({} bytes)", path.display(), bytes.len());
    }
    Ok(())
}

fn gen_bundles(args: &[String]) -> Result<()> {
    let dir = PathBuf::from(flag(args, "--out").unwrap_or_else(|| "samples/bundles".into()));
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    for (name, bytes) in bundles::all()? {
        let path = dir.join(name);
        std::fs::write(&path, &bytes).with_context(|| format!("writing {}", path.display()))?;
        println!("wrote {} ({} bytes)", path.display(), bytes.len());
    }
    Ok(())
}

/// The case samples (`samples/cases/<case>/<bundle>.tar.gz`).
fn gen_cases(args: &[String]) -> Result<()> {
    let dir = PathBuf::from(flag(args, "--out").unwrap_or_else(|| "samples/cases".into()));
    for (name, bytes) in cases::all()? {
        let path = dir.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        }
        std::fs::write(&path, &bytes).with_context(|| format!("writing {}", path.display()))?;
        println!("wrote {} ({} bytes)", path.display(), bytes.len());
    }
    Ok(())
}

fn gen_fleet(args: &[String]) -> Result<()> {
    let n: u32 = flag(args, "--count").context("--count N is required")?.parse()?;
    let dir = PathBuf::from(flag(args, "--out").context("--out DIR is required")?);
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let mut bytes = 0;
    for (name, data) in fleet::bundles(n)? {
        let path = dir.join(name);
        std::fs::write(&path, &data).with_context(|| format!("writing {}", path.display()))?;
        bytes += data.len();
    }
    println!("wrote {n} bundles ({bytes} bytes) into {}", dir.display());
    Ok(())
}

fn gen_dense(args: &[String]) -> Result<()> {
    let n: u32 = flag(args, "--connections").context("--connections N is required")?.parse()?;
    let out = PathBuf::from(flag(args, "--out").context("--out FILE is required")?);
    special::dense(n, &out)?;
    println!("wrote {} ({n} connections)", out.display());
    Ok(())
}

fn gen_bulk(args: &[String]) -> Result<()> {
    let n: u32 = flag(args, "--connections").context("--connections N is required")?.parse()?;
    let mb: u32 = flag(args, "--mb-per-conn").context("--mb-per-conn M is required")?.parse()?;
    let out = PathBuf::from(flag(args, "--out").context("--out FILE is required")?);
    bulk::bulk(n, mb, &out)?;
    println!("wrote {} ({n} connections of {mb} MB)", out.display());
    Ok(())
}

fn gen_small(args: &[String]) -> Result<()> {
    let n: u32 = flag(args, "--count").context("--count N is required")?.parse()?;
    let dir = PathBuf::from(flag(args, "--out").context("--out DIR is required")?);
    let bytes = small::small(n, &dir)?;
    println!("wrote {n} small files ({bytes} bytes) into {}", dir.display());
    Ok(())
}

/// Each bundle (default: the sample bundles and cases) as the tree of its appliance in
/// `DIR/<bundle name>/`, its status command outputs in `DIR/<bundle name>.command-outputs/`.
fn appliance_trees(args: &[String]) -> Result<()> {
    let dir = PathBuf::from(flag(args, "--out").unwrap_or_else(|| "target/appliance-trees".into()));
    let mut bundles: Vec<PathBuf> = Vec::new();
    let mut i = 0;
    while i < args.len() {
        if args[i] == "--out" {
            i += 2;
            continue;
        }
        bundles.push(PathBuf::from(&args[i]));
        i += 1;
    }
    if bundles.is_empty() {
        for folder in ["samples/bundles", "samples/cases/expired-up", "samples/cases/fmc-ha", "samples/cases/two-fmcs"]
        {
            let mut found: Vec<PathBuf> = std::fs::read_dir(folder)
                .with_context(|| format!("reading {folder}"))?
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.to_string_lossy().ends_with(".tar.gz"))
                .collect();
            found.sort();
            bundles.extend(found);
        }
    }
    for b in bundles {
        let name = b.file_name().and_then(|n| n.to_str()).context("bundle name")?.trim_end_matches(".tar.gz");
        let root = dir.join(name);
        let tree = tlstriage::appliance::tree::from_bundle(&b, &root).with_context(|| format!("{}", b.display()))?;
        let kind = if tree.ftd { "FTD, under ngfw/" } else { "FMC" };
        println!("wrote {} ({kind})", root.display());
        for o in &tree.outputs {
            println!("  status output for --with: {}", o.display());
        }
    }
    Ok(())
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("gen-captures") => gen_captures(&args[1..]),
        Some("gen-dense") => gen_dense(&args[1..]),
        Some("gen-bulk") => gen_bulk(&args[1..]),
        Some("gen-bundles") => gen_bundles(&args[1..]),
        Some("gen-cases") => gen_cases(&args[1..]),
        Some("gen-fleet") => gen_fleet(&args[1..]),
        Some("gen-small") => gen_small(&args[1..]),
        Some("appliance-trees") => appliance_trees(&args[1..]),
        _ => bail!("{USAGE}"),
    }
}
