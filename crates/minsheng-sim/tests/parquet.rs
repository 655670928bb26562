//! Parquet microdata in and per-household and per-person results out (feature `parquet`).
#![cfg(feature = "parquet")]

use std::path::Path;
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::Decimal128Type;
use arrow_array::{ArrayRef, BooleanArray, Decimal128Array, Float64Array, Int32Array, RecordBatch, StringArray};
use minsheng_cn::RuleBook;
use minsheng_sim::{Config, Population, read_csv, read_parquet, simulate, table, write_table_parquet};
use parquet::arrow::ArrowWriter;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

/// The CSV example, and the same people as typed Parquet columns.
const CSV: &str = "household_id,person_id,age,sex,urban,wage_monthly,insured,pension_last_december,resident_pension_account,claimed_by,weight
h1,a,35,M,1,12000.50,1,,,,250.5
h2,x,70,F,0,,0,,5000,,90
h1,b,33,F,1,9000,1,,,,250.5
h1,c,4,F,1,,0,,,a;b,250.5
";

/// A fresh folder for one test.
fn scratch(test: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("minsheng-parquet-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn strings(v: &[Option<&str>]) -> ArrayRef {
    Arc::new(StringArray::from(v.to_vec()))
}

fn yuan(v: &[Option<i128>]) -> ArrayRef {
    Arc::new(Decimal128Array::from(v.to_vec()).with_precision_and_scale(12, 2).expect("valid decimal"))
}

fn write(path: &Path, ages: &[i32]) {
    let columns: Vec<(&str, ArrayRef)> = vec![
        ("household_id", strings(&[Some("h1"), Some("h2"), Some("h1"), Some("h1")])),
        ("person_id", strings(&[Some("a"), Some("x"), Some("b"), Some("c")])),
        ("age", Arc::new(Int32Array::from(ages.to_vec()))),
        ("sex", strings(&[Some("M"), Some("F"), Some("F"), Some("F")])),
        ("urban", Arc::new(BooleanArray::from(vec![true, false, true, true]))),
        ("wage_monthly", yuan(&[Some(1_200_050), None, Some(900_000), None])),
        ("insured", Arc::new(BooleanArray::from(vec![true, false, true, false]))),
        ("pension_last_december", yuan(&[None, None, None, None])),
        ("resident_pension_account", Arc::new(Float64Array::from(vec![None, Some(5000.0), None, None]))),
        ("claimed_by", strings(&[None, None, None, Some("a;b")])),
        ("weight", Arc::new(Float64Array::from(vec![250.5, 90.0, 250.5, 250.5]))),
    ];
    let batch = RecordBatch::try_from_iter(columns).expect("batch");
    let mut writer =
        ArrowWriter::try_new(std::fs::File::create(path).expect("create"), batch.schema(), None).expect("writer");
    writer.write(&batch).expect("write");
    writer.close().expect("close");
}

#[test]
fn parquet_microdata_reads_as_the_same_csv_does() {
    let dir = scratch("same");
    let path = dir.join("people.parquet");
    write(&path, &[35, 70, 33, 4]);
    assert_eq!(read_parquet(&path).expect("reads"), read_csv(CSV).expect("reads"));
}

#[test]
fn bad_parquet_microdata_names_the_row_and_column() {
    let dir = scratch("bad");
    let path = dir.join("people.parquet");
    write(&path, &[35, 70, 330, 4]);
    let e = read_parquet(&path).expect_err("age 330");
    assert_eq!((e.row, e.column.as_str(), e.value.as_str()), (3, "age", "330"), "{e}");

    let not_parquet = dir.join("text.parquet");
    std::fs::write(&not_parquet, CSV).expect("write");
    assert!(read_parquet(&not_parquet).expect_err("a CSV file").to_string().contains("not a readable Parquet file"));
}

/// A Parquet cell as the CSV writer would write it.
fn as_csv_text(column: &ArrayRef, row: usize) -> String {
    use arrow_array::Array;
    use arrow_schema::DataType;
    match column.data_type() {
        DataType::Decimal128(_, 2) => {
            let fen = column.as_primitive::<Decimal128Type>().value(row);
            minsheng_core::Money::from_fen(i64::try_from(fen).expect("fits")).to_string()
        }
        DataType::Decimal128(_, scale) => {
            let units = column.as_primitive::<Decimal128Type>().value(row);
            rust_decimal::Decimal::from_i128_with_scale(units, u32::try_from(*scale).expect("scale"))
                .normalize()
                .to_string()
        }
        DataType::Boolean => u8::from(column.as_boolean().value(row)).to_string(),
        DataType::Utf8 => column.as_string::<i32>().value(row).to_string(),
        DataType::UInt64 => column.as_primitive::<arrow_array::types::UInt64Type>().value(row).to_string(),
        DataType::Float64 => column.as_primitive::<arrow_array::types::Float64Type>().value(row).to_string(),
        other => panic!("unexpected column type {other}"),
    }
}

#[test]
fn results_in_parquet_match_the_csv_to_the_fen() {
    let book = RuleBook::embedded().expect("rule book");
    let (households, weights) = read_csv(CSV).expect("reads");
    let config = Config { seed: 1, partition_size: 64, keep_results: true, ..Config::new(2024, 4) };
    let outcome = simulate(&book, &config, Population::Microdata(households, weights), &[], &|_| {}).expect("runs");
    let results = outcome.households.expect("kept");
    let scenarios = outcome.report.scenarios.clone();

    let dir = scratch("out");
    let spec = table::Spec::new(2024, &scenarios);
    for (name, t) in [("households", table::households(&spec, &results)), ("persons", table::persons(&spec, &results))]
    {
        let path = dir.join(format!("{name}.parquet"));
        write_table_parquet(&path, &t).expect("writes");
        assert!(!dir.join(format!("{name}.parquet.partial")).exists(), "the partial file is renamed away");
        let reader = ParquetRecordBatchReaderBuilder::try_new(std::fs::File::open(&path).expect("open"))
            .expect("parquet")
            .build()
            .expect("reader");
        let batches: Vec<RecordBatch> = reader.map(|b| b.expect("batch")).collect();
        assert_eq!(batches.len(), 1, "a small file reads as one batch");
        let batch = &batches[0];
        assert_eq!(batch.num_rows(), t.rows);
        // Cell by cell against the CSV writer's text, header included.
        let csv = t.to_csv();
        let mut lines = csv.lines();
        let header: Vec<&str> = lines.next().expect("header").split(',').collect();
        let names: Vec<String> = batch.schema().fields().iter().map(|f| f.name().clone()).collect();
        assert_eq!(header, names);
        for (row, line) in lines.enumerate() {
            for (c, field) in line.split(',').enumerate() {
                assert_eq!(as_csv_text(batch.column(c), row), field, "{name}: row {row}, column {}", names[c]);
            }
        }
    }
}

/// A corrupt Parquet file, corrupted byte by byte across its whole length,
/// is read or refused as a bad file: the reader's panics (a varint past its
/// page) never take the process down.
#[test]
fn corrupt_parquet_is_a_bad_file_never_a_panic() {
    let dir = scratch("corrupt");
    let path = dir.join("people.parquet");
    write(&path, &[35, 70, 33, 4]);
    let good = std::fs::read(&path).expect("read");
    let bad = dir.join("bad.parquet");
    let mut refused = 0;
    for at in (0..good.len()).step_by(7) {
        for flip in [0xff_u8, 0x80] {
            let mut bytes = good.clone();
            bytes[at] ^= flip;
            std::fs::write(&bad, &bytes).expect("write");
            if read_parquet(&bad).is_err() {
                refused += 1;
            }
        }
    }
    assert!(refused > 0, "no corruption was noticed");
}
