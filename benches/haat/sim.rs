//! Benchmarks for `haat-sim`: the generator, and a whole small scenario end to end (every
//! command through the real deciders, the metrics fed as it goes).

use std::hint::black_box;

use criterion::{Criterion, Throughput};
use haat_sim::{Rng, ScenarioConfig, run_sharded};

pub fn benches(c: &mut Criterion) {
    let mut group = c.benchmark_group("sim");
    group.throughput(Throughput::Elements(1));
    let mut rng = Rng::new(7);
    group.bench_function("rng_chance", |b| b.iter(|| rng.chance_bp(black_box(2_500))));

    // One shard, so the number is per core; throughput in sellers.
    let config = ScenarioConfig::small();
    group.throughput(Throughput::Elements(u64::from(config.sellers)));
    group.sample_size(10);
    group.bench_function("small_scenario", |b| {
        b.iter(|| run_sharded(black_box(&config), 1, &mut |_| {}, None))
    });
    group.finish();
}
