//! Panics contained to the item being read. A message or file that makes a reader panic (ours,
//! or a crate's on bytes it did not expect) becomes an error entry, and the scan goes on. Rust's
//! default panic hook would still print "thread … panicked at …" on standard error, through the
//! progress bar, as if the program had crashed; inside [`contain`] the hook keeps the panic's
//! message and place for the error entry instead. Outside it, panics are reported as before.

use std::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe, PanicHookInfo};

thread_local! {
    /// How many `contain` calls this thread is inside.
    static DEPTH: Cell<usize> = const { Cell::new(0) };
    /// The last contained panic's description, until `contain` takes it.
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Runs `work`; a panic in it is caught and returned as its description (`attempt to multiply
/// with overflow, at outlook-pst-1.2.0/src/ndb/page.rs:412`), with nothing printed.
/// `work` must leave nothing the caller uses half-changed if it panics, or the caller must
/// drop what it touched (a `.pst` reader is reopened after one).
pub fn contain<T>(work: impl FnOnce() -> T) -> Result<T, String> {
    // Under cargo-fuzz every panic must reach libFuzzer's hook, which aborts so that the input
    // is saved as a finding: a contained panic is still a bug.
    #[cfg(not(fuzzing))]
    install_hook();
    DEPTH.with(|depth| depth.set(depth.get() + 1));
    let result = panic::catch_unwind(AssertUnwindSafe(work));
    DEPTH.with(|depth| depth.set(depth.get() - 1));
    result.map_err(|_| {
        LAST_PANIC
            .with(|last| last.borrow_mut().take())
            .unwrap_or_else(|| "a panic".to_owned())
    })
}

/// Puts the hook in front of whichever one was set, once per process.
#[cfg(not(fuzzing))]
fn install_hook() {
    static INSTALL: std::sync::Once = std::sync::Once::new();
    INSTALL.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if DEPTH.with(Cell::get) > 0 {
                LAST_PANIC.with(|last| *last.borrow_mut() = Some(describe(info)));
            } else {
                previous(info);
            }
        }));
    });
}

#[cfg_attr(fuzzing, allow(dead_code))]
fn describe(info: &PanicHookInfo<'_>) -> String {
    let payload = info.payload();
    let message = payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("a panic");
    match info.location() {
        Some(at) => format!("{message}, at {}:{}", short_path(at.file()), at.line()),
        None => message.to_owned(),
    }
}

/// A source file's path from its crate's folder on: `/home/u/.cargo/registry/src/index…/
/// outlook-pst-1.2.0/src/ndb/page.rs` → `outlook-pst-1.2.0/src/ndb/page.rs`. Enough to report,
/// without the reader's home folder.
#[cfg_attr(fuzzing, allow(dead_code))]
fn short_path(file: &str) -> &str {
    let Some(src) = file.rfind("/src/") else {
        return file;
    };
    let start = file[..src].rfind('/').map_or(0, |slash| slash + 1);
    &file[start..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_contained_panic_is_returned_with_its_place() {
        let caught = contain(|| -> u8 { panic!("the reader gave up on block {}", 7) });
        let error = caught.expect_err("the panic is an error");
        assert!(
            error.starts_with("the reader gave up on block 7, at "),
            "{error}"
        );
        assert!(error.contains("contain.rs:"), "{error}");
        assert_eq!(contain(|| 5), Ok(5));
    }

    #[test]
    fn a_panic_inside_nested_work_is_the_inner_ones_and_the_outer_goes_on() {
        let outer = contain(|| {
            let inner = contain(|| -> () { panic!("inner") });
            assert!(inner.expect_err("caught").starts_with("inner, at "));
            "outer finished"
        });
        assert_eq!(outer, Ok("outer finished"));
    }

    #[test]
    fn paths_are_cut_to_their_crate() {
        assert_eq!(
            short_path("/root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/outlook-pst-1.2.0/src/ndb/page.rs"),
            "outlook-pst-1.2.0/src/ndb/page.rs"
        );
        assert_eq!(short_path("src/source/pst.rs"), "src/source/pst.rs");
        assert_eq!(short_path("lib.rs"), "lib.rs");
    }
}
