//! Parquet at the edges (feature `parquet`): the user's microdata in, and
//! per-household results out.
//!
//! Microdata in Parquet has the columns of the CSV schema ([`crate::microdata`]),
//! of any Arrow type that reads as the CSV text would: integers or strings
//! for ids and ages, decimals, integers or floats for amounts, booleans or
//! 0/1 for flags; null is an empty field. Each value is turned into text and
//! goes through the same checks as a CSV field, so both formats accept and
//! refuse exactly the same data, with the same row, column and rule.
//!
//! Results are written with amounts as `Decimal128(18, 2)` yuan: exact, since
//! every amount is a whole number of fen.

use std::fs::File;
use std::path::Path;
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::{
    Array, ArrayRef, BooleanArray, Decimal128Array, Float64Array, RecordBatch, UInt32Array, UInt64Array,
};
use arrow_schema::{DataType, Field, Schema};
use parquet::arrow::ArrowWriter;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::properties::WriterProperties;

use crate::generate::SynthHousehold;
use crate::microdata::{MicrodataError, assemble, check_header, parse_row};
use crate::run::{HouseholdResult, Outcome};

/// A household's figure (fen) under one scenario.
type Figure = fn(&Outcome) -> i64;

/// The amounts written per household and scenario: the column's name and
/// the figure.
const AMOUNTS: [(&str, Figure); 3] =
    [("disposable_income", |o| o.disposable), ("income_tax", |o| o.programmes[0]), ("dibao", |o| o.programmes[9])];

fn file_error(rule: String) -> MicrodataError {
    MicrodataError { row: 0, column: "(file)".into(), value: String::new(), rule }
}

/// Reads Parquet microdata into households and their weights.
pub fn read_parquet(path: &Path) -> Result<(Vec<SynthHousehold>, Vec<f64>), MicrodataError> {
    let file = File::open(path).map_err(|e| file_error(e.to_string()))?;
    let builder = ParquetRecordBatchReaderBuilder::try_new(file)
        .map_err(|e| file_error(format!("not a readable Parquet file: {e}")))?;
    let names: Vec<String> = builder.schema().fields().iter().map(|f| f.name().clone()).collect();
    check_header(&names.iter().map(String::as_str).collect::<Vec<_>>())?;
    let reader = builder.with_batch_size(65_536).build().map_err(|e| file_error(e.to_string()))?;
    let mut rows = Vec::new();
    for batch in reader {
        let batch = batch.map_err(|e| file_error(format!("row {}: {e}", rows.len() + 1)))?;
        // Every column as text, as a CSV reader would see it.
        let mut text = Vec::with_capacity(names.len());
        for (name, column) in names.iter().zip(batch.columns()) {
            let is_flag = column.data_type() == &DataType::Boolean;
            let strings = arrow_cast::cast(column, &DataType::Utf8).map_err(|e| MicrodataError {
                row: rows.len() + 1,
                column: name.clone(),
                value: column.data_type().to_string(),
                rule: format!("a column that reads as text: {e}"),
            })?;
            text.push((is_flag, strings));
        }
        for i in 0..batch.num_rows() {
            let row = rows.len() + 1;
            let field = |c: &str| {
                let Some(at) = names.iter().position(|n| n == c) else { return String::new() };
                let (is_flag, strings) = &text[at];
                let strings = strings.as_string::<i32>();
                if strings.is_null(i) {
                    return String::new();
                }
                match (is_flag, strings.value(i)) {
                    (true, "true") => "1".into(),
                    (true, "false") => "0".into(),
                    (_, v) => v.trim().to_string(),
                }
            };
            rows.push(parse_row(row, &field)?);
        }
    }
    assemble(rows)
}

/// Writes per-household results to `path` as Parquet: one row per household,
/// with its weight, size, urban flag and, per scenario, disposable income,
/// income tax and 低保 in yuan. The file is written beside `path` and renamed
/// into place, so a failure leaves nothing half-written.
pub fn write_households_parquet(path: &Path, scenarios: &[String], results: &[HouseholdResult]) -> Result<(), String> {
    let mut fields = vec![
        Field::new("household", DataType::UInt64, false),
        Field::new("weight", DataType::Float64, false),
        Field::new("size", DataType::UInt32, false),
        Field::new("urban", DataType::Boolean, false),
    ];
    for s in scenarios {
        for (what, _) in AMOUNTS {
            fields.push(Field::new(format!("{what}[{s}]"), DataType::Decimal128(18, 2), false));
        }
    }
    let schema = Arc::new(Schema::new(fields));
    let props = WriterProperties::builder().set_compression(Compression::ZSTD(ZstdLevel::default())).build();
    let partial = path.with_extension("parquet.partial");
    let write = || -> Result<(), String> {
        let file = File::create(&partial).map_err(|e| e.to_string())?;
        let mut writer = ArrowWriter::try_new(file, schema.clone(), Some(props)).map_err(|e| e.to_string())?;
        for (chunk_index, chunk) in results.chunks(1 << 20).enumerate() {
            let first = (chunk_index << 20) as u64;
            let mut columns: Vec<ArrayRef> = vec![
                Arc::new(UInt64Array::from_iter_values((0..chunk.len() as u64).map(|i| first + i))),
                Arc::new(Float64Array::from_iter_values(chunk.iter().map(|r| r.weight))),
                Arc::new(UInt32Array::from_iter_values(chunk.iter().map(|r| r.size))),
                Arc::new(BooleanArray::from(chunk.iter().map(|r| r.urban).collect::<Vec<_>>())),
            ];
            for s in 0..scenarios.len() {
                for (_, amount) in AMOUNTS {
                    let fen =
                        Decimal128Array::from_iter_values(chunk.iter().map(|r| i128::from(amount(&r.outcomes[s]))))
                            .with_precision_and_scale(18, 2)
                            .map_err(|e| e.to_string())?;
                    columns.push(Arc::new(fen));
                }
            }
            let batch = RecordBatch::try_new(schema.clone(), columns).map_err(|e| e.to_string())?;
            writer.write(&batch).map_err(|e| e.to_string())?;
        }
        writer.close().map_err(|e| e.to_string())?;
        std::fs::rename(&partial, path).map_err(|e| e.to_string())
    };
    write().inspect_err(|_| {
        let _ = std::fs::remove_file(&partial);
    })
}
