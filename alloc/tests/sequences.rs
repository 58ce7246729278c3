//! Random sequences of allocations, reallocations and frees through `Hybrid` (the global
//! allocator of this test binary too), with sizes around `LARGE`: every live block keeps
//! the bytes written to it, whichever allocator holds it and however often it moved.

use proptest::prelude::*;
use std::alloc::{GlobalAlloc, Layout};
use unblame_alloc::{Hybrid, LARGE};

#[global_allocator]
static GLOBAL: Hybrid = Hybrid;

#[derive(Debug, Clone)]
enum Op {
    Alloc {
        size: usize,
        align: usize,
        zeroed: bool,
    },
    Realloc {
        which: usize,
        size: usize,
    },
    Free {
        which: usize,
    },
}

/// Sizes that straddle the threshold, and small ones.
fn size() -> impl Strategy<Value = usize> {
    prop_oneof![1usize..4096, (LARGE - 64)..(LARGE + 64), LARGE..(3 * LARGE),]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (
            size(),
            prop::sample::select(vec![1usize, 8, 16, 64, 4096]),
            any::<bool>()
        )
            .prop_map(|(size, align, zeroed)| Op::Alloc {
                size,
                align,
                zeroed
            }),
        (any::<usize>(), size()).prop_map(|(which, size)| Op::Realloc { which, size }),
        any::<usize>().prop_map(|which| Op::Free { which }),
    ]
}

/// A live block: where it is, its layout, and the byte its contents were filled with.
struct Block {
    ptr: *mut u8,
    layout: Layout,
    fill: u8,
}

/// Checks the first, middle and last bytes and a stride of the rest (a full check of
/// megabyte blocks over thousands of cases would be slow).
fn check(b: &Block) {
    let n = b.layout.size();
    let bytes = unsafe { std::slice::from_raw_parts(b.ptr, n) };
    for i in (0..n).step_by(997).chain([n / 2, n - 1]) {
        assert_eq!(bytes[i], b.fill, "byte {i} of {n}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn blocks_keep_their_bytes(ops in prop::collection::vec(op(), 1..40)) {
        let mut live: Vec<Block> = Vec::new();
        let mut next_fill = 1u8;
        for op in ops {
            match op {
                Op::Alloc { size, align, zeroed } => {
                    let layout = Layout::from_size_align(size, align).unwrap();
                    let ptr = unsafe {
                        if zeroed { GLOBAL.alloc_zeroed(layout) } else { GLOBAL.alloc(layout) }
                    };
                    prop_assert!(!ptr.is_null());
                    prop_assert_eq!(ptr as usize % align, 0);
                    if zeroed {
                        check(&Block { ptr, layout, fill: 0 });
                    }
                    next_fill = next_fill.wrapping_add(37) | 1;
                    unsafe { std::ptr::write_bytes(ptr, next_fill, size) };
                    live.push(Block { ptr, layout, fill: next_fill });
                }
                Op::Realloc { which, size } if !live.is_empty() => {
                    let i = which % live.len();
                    let b = &mut live[i];
                    let old = b.layout.size();
                    let ptr = unsafe { GLOBAL.realloc(b.ptr, b.layout, size) };
                    prop_assert!(!ptr.is_null());
                    prop_assert_eq!(ptr as usize % b.layout.align(), 0);
                    b.ptr = ptr;
                    b.layout = Layout::from_size_align(size, b.layout.align()).unwrap();
                    // The kept prefix has the old fill; fill the rest to match.
                    if size > old {
                        unsafe { std::ptr::write_bytes(ptr.add(old), b.fill, size - old) };
                    }
                    check(b);
                }
                Op::Free { which } if !live.is_empty() => {
                    let b = live.swap_remove(which % live.len());
                    check(&b);
                    unsafe { GLOBAL.dealloc(b.ptr, b.layout) };
                }
                _ => {}
            }
        }
        for b in live {
            check(&b);
            unsafe { GLOBAL.dealloc(b.ptr, b.layout) };
        }
    }
}
