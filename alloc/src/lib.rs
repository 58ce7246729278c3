//! The process allocator of the unblame CLI and Python module: [mimalloc] for small
//! blocks, the system allocator for large ones.
//!
//! A lint allocates and frees a few thousand small strings and vectors (the document
//! model, table cells, findings). mimalloc serves them in 7–10% fewer instructions per
//! lint than glibc's allocator, and the CLI runs 1.2–1.3× faster on one file
//! (docs/performance.md, Eighth round). On its own, though, mimalloc grows a large vector
//! by allocating the new block and copying, and keeps freed segments a while: a 10 MB
//! document peaked at 89–99 MB against 71 MB with glibc, whose `realloc` of an
//! `mmap`-backed block moves pages instead of bytes. [`Hybrid`] takes the best of both:
//! blocks of [`LARGE`] bytes and more (the parser's node tree, the prose of a big document)
//! go to the system allocator.
//!
//! ```
//! #[global_allocator]
//! static GLOBAL: unblame_alloc::Hybrid = unblame_alloc::Hybrid;
//!
//! let small = vec![0u8; 100];
//! let large = vec![0u8; 4 << 20];
//! assert_eq!(small.len() + large.len(), 100 + (4 << 20));
//! ```
//!
//! The library crate `unblame` sets no allocator: a program embedding it chooses its own.

#![warn(missing_docs)]

use std::alloc::{GlobalAlloc, Layout, System};

/// Blocks of this many bytes and more go to the system allocator; smaller ones to mimalloc.
pub const LARGE: usize = 1 << 20;

/// mimalloc below [`LARGE`] bytes, the system allocator from there up. Use it as the
/// `#[global_allocator]`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Hybrid;

fn large(size: usize) -> bool {
    size >= LARGE
}

/// Every mimalloc block is aligned to a machine word: a layout asking no more goes to
/// `mi_malloc` directly, past the aligned entry point's checks (most of Rust's blocks:
/// strings and vectors of words).
const WORD: usize = std::mem::align_of::<usize>();

// SAFETY: each block is served and released by one allocator, chosen by the block's size,
// which `dealloc` and `realloc` get back in its layout (the layout it was allocated or last
// reallocated with). A block that crosses `LARGE` in `realloc` is moved to the other
// allocator: allocated there, copied, and released by the allocator that served it.
unsafe impl GlobalAlloc for Hybrid {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if large(layout.size()) {
            System.alloc(layout)
        } else if layout.align() <= WORD {
            libmimalloc_sys::mi_malloc(layout.size()).cast()
        } else {
            mimalloc::MiMalloc.alloc(layout)
        }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if large(layout.size()) {
            System.alloc_zeroed(layout)
        } else if layout.align() <= WORD {
            libmimalloc_sys::mi_zalloc(layout.size()).cast()
        } else {
            mimalloc::MiMalloc.alloc_zeroed(layout)
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if large(layout.size()) {
            System.dealloc(ptr, layout)
        } else {
            mimalloc::MiMalloc.dealloc(ptr, layout)
        }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        match (large(layout.size()), large(new_size)) {
            (true, true) => System.realloc(ptr, layout, new_size),
            (false, false) if layout.align() <= WORD => {
                libmimalloc_sys::mi_realloc(ptr.cast(), new_size).cast()
            }
            (false, false) => mimalloc::MiMalloc.realloc(ptr, layout, new_size),
            _ => {
                // SAFETY (of the layout): the caller guarantees that `new_size`, rounded up
                // to `layout.align()`, does not overflow `isize`.
                let new_layout = Layout::from_size_align_unchecked(new_size, layout.align());
                let new = self.alloc(new_layout);
                if !new.is_null() {
                    std::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
                    self.dealloc(ptr, layout);
                }
                new
            }
        }
    }
}
