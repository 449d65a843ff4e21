//! Seeded, portable randomness for the synthetic roster and requests.
//!
//! [`Dice`] wraps one [`ChaCha8Rng`] and draws only integers, so a seed gives the same values
//! natively and in WebAssembly. Coordinates are whole micro-degrees ([`UBox`]) turned into
//! degrees by one correctly rounded division. Also holds the pools of synthetic names.

use rand::RngExt;
use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::SeedableRng;

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

/// The one source of randomness: integer draws only, so results are the same everywhere.
pub(crate) struct Dice(ChaCha8Rng);

impl Dice {
    pub(crate) fn new(seed: u64) -> Dice {
        Dice(ChaCha8Rng::seed_from_u64(seed))
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
