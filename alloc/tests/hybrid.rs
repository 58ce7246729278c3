//! `Hybrid` as the global allocator of this test binary: blocks keep their bytes when they
//! grow and shrink across `LARGE` in either direction, and zeroed blocks are zero on both
//! sides of it.

use std::alloc::{GlobalAlloc, Layout};
use unblame_alloc::{Hybrid, LARGE};

#[global_allocator]
static GLOBAL: Hybrid = Hybrid;

/// A byte pattern that differs from one position to the next, so a copy from the wrong
/// offset or a short copy shows.
fn pattern(n: usize) -> Vec<u8> {
    (0..n).map(|i| (i * 31 % 251) as u8).collect()
}

#[test]
fn a_vector_grows_across_the_threshold_and_keeps_its_bytes() {
    let mut v: Vec<u8> = Vec::new();
    let n = 3 * LARGE + 12_345;
    let want = pattern(n);
    for &b in &want {
        v.push(b);
    }
    assert_eq!(v, want);
    // And back under the threshold.
    v.truncate(1000);
    v.shrink_to_fit();
    assert_eq!(v.capacity(), 1000);
    assert_eq!(v[..], want[..1000]);
}

#[test]
fn realloc_moves_blocks_both_ways_with_their_bytes() {
    let cases = [
        (100, LARGE + 1),         // small to large
        (LARGE - 1, LARGE),       // just across
        (LARGE + 10, 100),        // large to small
        (LARGE, LARGE - 1),       // just back
        (4 * LARGE, 8 * LARGE),   // large to large
        (64, 4096),               // small to small
        (2 * LARGE, LARGE + 100), // large shrinks, stays large
    ];
    for (from, to) in cases {
        for align in [1usize, 8, 64, 4096] {
            let layout = Layout::from_size_align(from, align).unwrap();
            let want = pattern(from.min(to));
            unsafe {
                let p = GLOBAL.alloc(layout);
                assert!(!p.is_null());
                std::ptr::copy_nonoverlapping(pattern(from).as_ptr(), p, from);
                let q = GLOBAL.realloc(p, layout, to);
                assert!(!q.is_null(), "{from} -> {to}, align {align}");
                assert_eq!(q as usize % align, 0, "{from} -> {to}, align {align}");
                let got = std::slice::from_raw_parts(q, from.min(to));
                assert_eq!(got, &want[..], "{from} -> {to}, align {align}");
                // Write the whole new block: it must be ours.
                std::ptr::write_bytes(q, 7, to);
                GLOBAL.dealloc(q, Layout::from_size_align(to, align).unwrap());
            }
        }
    }
}

#[test]
fn zeroed_blocks_are_zero_on_both_sides_of_the_threshold() {
    for size in [1, 100, LARGE - 1, LARGE, 3 * LARGE] {
        let layout = Layout::from_size_align(size, 16).unwrap();
        unsafe {
            let p = GLOBAL.alloc_zeroed(layout);
            assert!(!p.is_null());
            assert!(std::slice::from_raw_parts(p, size).iter().all(|b| *b == 0));
            GLOBAL.dealloc(p, layout);
        }
    }
}

#[test]
fn threads_allocate_and_free_each_others_blocks() {
    // Blocks made on one thread and freed on another, small and large.
    let blocks: Vec<Vec<u8>> = std::thread::spawn(|| {
        (0..200)
            .map(|i| pattern(if i % 50 == 0 { LARGE + i } else { 10 + i }))
            .collect()
    })
    .join()
    .unwrap();
    let total: usize = std::thread::spawn(move || blocks.iter().map(Vec::len).sum())
        .join()
        .unwrap();
    let want: usize = (0..200)
        .map(|i| if i % 50 == 0 { LARGE + i } else { 10 + i })
        .sum();
    assert_eq!(total, want);
}
