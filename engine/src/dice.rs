//! Seeded, portable randomness for the synthetic roster and requests.
//!
//! [`Dice`] wraps one [`ChaCha8`] and draws only integers, so a seed gives the same values
//! natively and in WebAssembly. Coordinates are whole micro-degrees ([`UBox`]) turned into
//! degrees by one correctly rounded division. Also holds the pools of synthetic names.

use core::convert::Infallible;

use rand::RngExt;
use rand::rand_core::{SeedableRng, TryRng};

use crate::geo::{BBox, LatLon};

pub(crate) const SURNAMES: [&str; 48] = [
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾",
    "田", "董", "袁", "潘", "于", "蒋", "蔡", "杜", "程", "苏", "魏", "吕", "丁", "任", "贾", "郝",
];
pub(crate) const GIVEN: [&str; 40] = [
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "秀", "霞", "平", "刚", "桂", "英", "华", "玉", "兰", "建", "国", "文", "红", "志", "海",
    "燕", "鹏", "凤", "晶", "宇", "欣", "婷", "鑫",
];
/// Mongolian given names, used for most Mongolian-speaking volunteers.
pub(crate) const MONGOLIAN_NAMES: [&str; 12] = [
    "巴特尔",
    "其其格",
    "乌兰",
    "苏日娜",
    "额尔敦",
    "斯琴",
    "那仁",
    "萨日娜",
    "宝音",
    "图雅",
    "朝鲁",
    "阿拉坦",
];

/// ChaCha with 8 rounds, word for word the stream of `rand_chacha`'s `ChaCha8Rng` (the same
/// seed expansion, a 64-bit block counter from 0, stream 0; `next_u64` joins two consecutive
/// words, low first), computed one block at a time by plain scalar code: `rand_chacha`'s
/// four-block vector code was about 6 KB of each widget module. A test compares both streams.
pub(crate) struct ChaCha8 {
    key: [u32; 8],
    /// The next block's number.
    block: u64,
    words: [u32; 16],
    /// The next unread word of `words` (16: none left).
    next: usize,
}

impl ChaCha8 {
    fn refill(&mut self) {
        let c = self.block;
        let k = self.key;
        let input = [
            0x6170_7865,
            0x3320_646e,
            0x7962_2d32,
            0x6b20_6574,
            k[0],
            k[1],
            k[2],
            k[3],
            k[4],
            k[5],
            k[6],
            k[7],
            c as u32,
            (c >> 32) as u32,
            0,
            0,
        ];
        let mut x = input;
        for _ in 0..4 {
            quarter(&mut x, 0, 4, 8, 12);
            quarter(&mut x, 1, 5, 9, 13);
            quarter(&mut x, 2, 6, 10, 14);
            quarter(&mut x, 3, 7, 11, 15);
            quarter(&mut x, 0, 5, 10, 15);
            quarter(&mut x, 1, 6, 11, 12);
            quarter(&mut x, 2, 7, 8, 13);
            quarter(&mut x, 3, 4, 9, 14);
        }
        for (w, (a, b)) in self.words.iter_mut().zip(x.iter().zip(input)) {
            *w = a.wrapping_add(b);
        }
        self.block = self.block.wrapping_add(1);
        self.next = 0;
    }
}

fn quarter(x: &mut [u32; 16], a: usize, b: usize, c: usize, d: usize) {
    x[a] = x[a].wrapping_add(x[b]);
    x[d] = (x[d] ^ x[a]).rotate_left(16);
    x[c] = x[c].wrapping_add(x[d]);
    x[b] = (x[b] ^ x[c]).rotate_left(12);
    x[a] = x[a].wrapping_add(x[b]);
    x[d] = (x[d] ^ x[a]).rotate_left(8);
    x[c] = x[c].wrapping_add(x[d]);
    x[b] = (x[b] ^ x[c]).rotate_left(7);
}

impl SeedableRng for ChaCha8 {
    type Seed = [u8; 32];

    fn from_seed(seed: [u8; 32]) -> ChaCha8 {
        let mut key = [0; 8];
        for (k, bytes) in key.iter_mut().zip(seed.chunks_exact(4)) {
            *k = u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
        }
        ChaCha8 {
            key,
            block: 0,
            words: [0; 16],
            next: 16,
        }
    }
}

impl TryRng for ChaCha8 {
    type Error = Infallible;

    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        if self.next >= 16 {
            self.refill();
        }
        let w = self.words[self.next];
        self.next += 1;
        Ok(w)
    }

    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        let lo = self.try_next_u32()?;
        let hi = self.try_next_u32()?;
        Ok((u64::from(hi) << 32) | u64::from(lo))
    }

    /// Whole words, little-endian; a tail shorter than a word uses up a whole word.
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        for chunk in dst.chunks_mut(4) {
            let w = self.try_next_u32()?.to_le_bytes();
            chunk.copy_from_slice(&w[..chunk.len()]);
        }
        Ok(())
    }
}

/// The one source of randomness: integer draws only, so results are the same everywhere.
pub(crate) struct Dice(ChaCha8);

impl Dice {
    pub(crate) fn new(seed: u64) -> Dice {
        Dice(ChaCha8::seed_from_u64(seed))
    }
    /// Uniform in `0..n` (n > 0).
    pub(crate) fn below(&mut self, n: usize) -> usize {
        self.0.random_range(0..n as u32) as usize
    }
    /// Uniform in `lo..=hi`.
    pub(crate) fn between(&mut self, lo: i64, hi: i64) -> i64 {
        self.0.random_range(lo..=hi)
    }
    /// True with probability `per_mille / 1000`.
    pub(crate) fn chance(&mut self, per_mille: u32) -> bool {
        self.0.random_range(0..1000u32) < per_mille
    }
    /// Index chosen with integer weights (not all zero).
    pub(crate) fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u32 = weights.iter().sum();
        let mut x = self.0.random_range(0..total);
        for (i, w) in weights.iter().enumerate() {
            if x < *w {
                return i;
            }
            x -= w;
        }
        weights.len() - 1
    }
    pub(crate) fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
    /// A point strictly inside `b` (whole micro-degrees).
    pub(crate) fn point_in(&mut self, b: &UBox) -> LatLon {
        let lat = self.between(b.south + 1, b.north - 1);
        let lon = self.between(b.west + 1, b.east - 1);
        LatLon::new(udeg(lat), udeg(lon))
    }
    pub(crate) fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }
}

pub(crate) fn udeg(v: i64) -> f64 {
    v as f64 / 1e6
}

/// A box in whole micro-degrees.
#[derive(Clone, Copy)]
pub(crate) struct UBox {
    pub(crate) south: i64,
    pub(crate) west: i64,
    pub(crate) north: i64,
    pub(crate) east: i64,
}

impl UBox {
    /// The whole micro-degrees inside `b` (rounded inwards); `None` when no point is.
    pub(crate) fn inside(b: &BBox) -> Option<UBox> {
        let u = UBox {
            south: (b.south * 1e6).ceil() as i64,
            west: (b.west * 1e6).ceil() as i64,
            north: (b.north * 1e6).floor() as i64,
            east: (b.east * 1e6).floor() as i64,
        };
        (u.north - u.south >= 2 && u.east - u.west >= 2).then_some(u)
    }
    pub(crate) fn to_bbox(self) -> BBox {
        BBox {
            south: udeg(self.south),
            west: udeg(self.west),
            north: udeg(self.north),
            east: udeg(self.east),
        }
    }
}

pub(crate) fn person_name(d: &mut Dice) -> String {
    let mut s = String::from(d.pick(&SURNAMES));
    s.push_str(d.pick(&GIVEN));
    if d.chance(600) {
        s.push_str(d.pick(&GIVEN));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng;

    #[test]
    fn chacha8_is_rand_chachas_stream_word_for_word() {
        for seed in [0, 1, 7, 42, 0xdead_beef, u64::MAX] {
            let mut ours = ChaCha8::seed_from_u64(seed);
            let mut theirs = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
            // Mixed draws, so `next_u64` also straddles block boundaries (16 words here, 64
            // in rand_chacha's buffer).
            for i in 0..5_000u32 {
                if i % 3 == 0 {
                    assert_eq!(ours.next_u64(), theirs.next_u64(), "seed {seed}, draw {i}");
                } else {
                    assert_eq!(ours.next_u32(), theirs.next_u32(), "seed {seed}, draw {i}");
                }
            }
            for len in [0, 1, 3, 4, 5, 31, 64, 67] {
                let (mut a, mut b) = (vec![0u8; len], vec![0u8; len]);
                ours.fill_bytes(&mut a);
                theirs.fill_bytes(&mut b);
                assert_eq!(a, b, "seed {seed}, {len} bytes");
                assert_eq!(
                    ours.next_u32(),
                    theirs.next_u32(),
                    "seed {seed}, after {len} bytes"
                );
            }
        }
    }

    #[test]
    fn dice_draw_as_with_rand_chacha() {
        let mut ours = Dice::new(11);
        let mut theirs = rand_chacha::ChaCha8Rng::seed_from_u64(11);
        for n in 1..2_000usize {
            assert_eq!(ours.below(n), theirs.random_range(0..n as u32) as usize);
            assert_eq!(
                ours.between(-5, n as i64),
                theirs.random_range(-5..=n as i64)
            );
        }
    }
}
