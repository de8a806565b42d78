//! The listing import on arbitrary bytes, as CSV and as JSON Lines, with and without the quality
//! gate: it reports and never panics, every draft it keeps is in the taxonomy, and every row
//! read is kept or reported, not both.
#![no_main]

use std::sync::LazyLock;

use haat_catalogue::{
    ImportOptions, ImportReport, QualityGate, Taxonomy, import_csv_with, import_jsonl_with,
};
use haat_core::SellerId;
use libfuzzer_sys::fuzz_target;

static TAXONOMY: LazyLock<Taxonomy> = LazyLock::new(Taxonomy::west_bengal_default);

fuzz_target!(|data: &[u8]| {
    // The first byte picks the format and the gate, so one corpus serves both readers.
    let Some((&choice, sheet)) = data.split_first() else {
        return;
    };
    let gate = if choice & 2 == 0 {
        QualityGate::Off
    } else {
        QualityGate::Errors
    };
    let options = ImportOptions::default().with_quality_gate(gate);
    let seller = SellerId::new(1);
    let result = if choice & 1 == 0 {
        import_csv_with(sheet, seller, &TAXONOMY, |_| false, options)
    } else {
        import_jsonl_with(sheet, seller, &TAXONOMY, |_| false, options)
    };
    if let Ok(report) = result {
        check(&report);
    }
});

fn check(report: &ImportReport) {
    for (row, draft) in &report.drafts {
        assert!(
            report.errors.iter().all(|e| e.row != *row),
            "row {row} is both kept and reported"
        );
        assert!(
            TAXONOMY.get(&draft.category).is_some(),
            "row {row}: {draft:?}"
        );
    }
    // Rows read = rows kept + rows reported: nothing is lost, nothing counted twice.
    let (kept, reported) = (report.drafts.len(), report.bad_rows().len());
    assert_eq!(
        kept + reported,
        report.rows,
        "{} rows read, {kept} kept, {reported} reported: {:?}",
        report.rows,
        report.errors
    );
}
