//! Hostile input: the output folder, staging folders, and `insyn serve` (watching, live-reload clients).

use super::*;

/// The build cases of this area (see [`Case`]).
pub fn cases() -> Vec<Case> {
    vec![stale_staging_folders()]
}

/// A build killed midway leaves its staging folder (and, killed while swapping, the previous
/// site set aside); the next build removes those of processes that are gone and leaves those
/// of a build still running.
fn stale_staging_folders() -> Case {
    let live = std::os::unix::process::parent_id();
    let leftover = |root: &Path, name: String| {
        write(root, &format!("{name}/{}", insyn::output::MARKER), "");
        write(root, &format!("{name}/index.html"), "half a site");
    };
    Case {
        name: "staging folders of killed builds",
        setup: Box::new(move |root| {
            write(root, "content/a.md", audit(&[], "Text.\n"));
            let dead = dead_pid();
            leftover(root, format!(".public.insyn-staging-{dead}"));
            leftover(root, format!(".public.insyn-old-{dead}"));
            leftover(root, format!(".public.insyn-staging-{live}"));
        }),
        expect: Expect::SafeAnd(Box::new(move |root| {
            let mut left: Vec<String> = fs::read_dir(root)
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .filter(|n| n.contains(".insyn-"))
                .collect();
            left.sort();
            assert_eq!(left, [format!(".public.insyn-staging-{live}")]);
        })),
        output: "public",
    }
}

/// The id of a process that has ended.
fn dead_pid() -> u32 {
    let mut child = std::process::Command::new("true").spawn().unwrap();
    let pid = child.id();
    child.wait().unwrap();
    pid
}
