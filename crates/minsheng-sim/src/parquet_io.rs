//! Parquet at the edges (feature `parquet`): the user's microdata in, and
//! per-household and per-person results out.
//!
//! Microdata in Parquet has the columns of the CSV schema ([`crate::microdata`]),
//! of any Arrow type that reads as the CSV text would: integers or strings
//! for ids and ages, decimals, integers or floats for amounts, booleans or
//! 0/1 for flags; null is an empty field. Each value is turned into text and
//! goes through the same checks as a CSV field, so both formats accept and
//! refuse exactly the same data, with the same row, column and rule.
//!
//! Results are written as [`crate::table`] lays them out: exact numbers
//! (amounts `Decimal128(18, 2)` yuan, whole fen; weights `Decimal128(19, 9)`)
//! or floats (`Float64`). Each field's metadata gives its `unit`,
//! `label_zh`, `label_en` and, where it has them, `period` and `scenario`;
//! the schema's `minsheng` entry says what the table is (JSON: table, year,
//! scenarios, shape, numbers).

use std::collections::HashMap;
use std::fs::File;
use std::path::Path;
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::{
    Array, ArrayRef, BooleanArray, Decimal128Array, Float64Array, RecordBatch, StringArray, UInt64Array,
};
use arrow_schema::{DataType, Field, Schema};
use parquet::arrow::ArrowWriter;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::properties::WriterProperties;

use crate::generate::SynthHousehold;
use crate::microdata::{MicrodataError, assemble, check_header, parse_row};
use crate::table::{Column, Named, Numbers, Table, WEIGHT_DECIMALS, weight_units};

fn file_error(rule: String) -> MicrodataError {
    MicrodataError { row: 0, column: "(file)".into(), value: String::new(), rule }
}

/// Reads Parquet microdata into households and their weights. The parquet
/// reader can panic on a corrupt file (a page whose varint runs past its
/// length, parquet's `bit_util.rs`); such a panic is caught and reported as
/// a bad file, never taken for a bug of ours.
pub fn read_parquet(path: &Path) -> Result<(Vec<SynthHousehold>, Vec<f64>), MicrodataError> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let read = std::panic::catch_unwind(|| read_parquet_unguarded(path));
    std::panic::set_hook(hook);
    read.unwrap_or_else(|panic| {
        let what = panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        Err(file_error(format!("a corrupt Parquet file: the reader failed ({what})")))
    })
}

fn read_parquet_unguarded(path: &Path) -> Result<(Vec<SynthHousehold>, Vec<f64>), MicrodataError> {
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

/// The Arrow type of a result column.
fn data_type(column: &Column, numbers: Numbers) -> DataType {
    match (column, numbers) {
        (Column::Count(_), _) => DataType::UInt64,
        (Column::Weight(_), Numbers::Exact) => DataType::Decimal128(WEIGHT_PRECISION, WEIGHT_DECIMALS as i8),
        (Column::Amount(_), Numbers::Exact) => DataType::Decimal128(18, 2),
        (Column::Weight(_) | Column::Amount(_), Numbers::Float) => DataType::Float64,
        (Column::Flag(_), _) => DataType::Boolean,
        (Column::Word(_) | Column::Text(_), _) => DataType::Utf8,
    }
}

/// The digits of an exact weight: nine decimals and ten whole digits, so that
/// an amount (18 digits) times a weight stays within the 38 digits of
/// `Decimal128` (pyarrow adds one digit to a product's).
const WEIGHT_PRECISION: u8 = 19;

/// Rows `range` of a result column as an Arrow array.
fn array(column: &Column, numbers: Numbers, range: std::ops::Range<usize>) -> Result<ArrayRef, String> {
    let decimal = |values: Vec<i128>, (precision, scale): (u8, i8)| -> Result<ArrayRef, String> {
        Ok(Arc::new(
            Decimal128Array::from(values).with_precision_and_scale(precision, scale).map_err(|e| e.to_string())?,
        ))
    };
    Ok(match (column, numbers) {
        (Column::Count(v), _) => Arc::new(UInt64Array::from(v[range].to_vec())),
        (Column::Weight(v), Numbers::Exact) => {
            decimal(v[range].iter().map(|w| weight_units(*w)).collect(), (WEIGHT_PRECISION, WEIGHT_DECIMALS as i8))?
        }
        (Column::Weight(v), Numbers::Float) => Arc::new(Float64Array::from(v[range].to_vec())),
        (Column::Amount(v), Numbers::Exact) => decimal(v[range].iter().map(|fen| i128::from(*fen)).collect(), (18, 2))?,
        (Column::Amount(v), Numbers::Float) => {
            Arc::new(Float64Array::from_iter_values(v[range].iter().map(|fen| *fen as f64 / 100.0)))
        }
        (Column::Flag(v), _) => Arc::new(BooleanArray::from(v[range].to_vec())),
        (Column::Word(v), _) => Arc::new(StringArray::from(v[range].to_vec())),
        (Column::Text(v), _) => Arc::new(StringArray::from_iter_values(v[range].iter().map(|t| &**t))),
    })
}

/// A column's Arrow field, with its unit, labels, period and scenario as metadata.
fn field(c: &Named, numbers: Numbers) -> Field {
    let m = &c.meta;
    let mut meta: HashMap<String, String> = [("unit", m.unit), ("label_zh", m.label_zh), ("label_en", m.label_en)]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    if let Some(period) = &m.period {
        meta.insert("period".into(), period.clone());
    }
    if let Some(scenario) = &m.scenario {
        meta.insert("scenario".into(), scenario.clone());
    }
    Field::new(c.name.clone(), data_type(&c.column, numbers), false).with_metadata(meta)
}

/// Writes a result table ([`crate::table`]) to `path` as Parquet (zstd). The file is written beside `path` and
/// renamed into place, so a failure leaves nothing half-written.
pub fn write_table_parquet(path: &Path, table: &Table) -> Result<(), String> {
    let partial = path.with_extension("parquet.partial");
    let write = || -> Result<(), String> {
        let mut writer = ParquetTableWriter::create(&partial, table)?;
        writer.write(table)?;
        writer.finish()?;
        std::fs::rename(&partial, path).map_err(|e| e.to_string())
    };
    write().inspect_err(|_| {
        let _ = std::fs::remove_file(&partial);
    })
}

/// A result table written to a Parquet file a batch at a time (zstd), so
/// that a run's results need not be held whole.
pub struct ParquetTableWriter {
    writer: ArrowWriter<File>,
    schema: Arc<Schema>,
    numbers: Numbers,
}

impl ParquetTableWriter {
    /// Creates `path` with the columns of `like` (a first batch).
    pub fn create(path: &Path, like: &Table) -> Result<ParquetTableWriter, String> {
        let fields: Vec<Field> = like.columns.iter().map(|c| field(c, like.numbers)).collect();
        let about = HashMap::from([("minsheng".to_string(), like.about().to_string())]);
        let schema = Arc::new(Schema::new_with_metadata(fields, about));
        let props = WriterProperties::builder().set_compression(Compression::ZSTD(ZstdLevel::default())).build();
        let file = File::create(path).map_err(|e| e.to_string())?;
        let writer = ArrowWriter::try_new(file, schema.clone(), Some(props)).map_err(|e| e.to_string())?;
        Ok(ParquetTableWriter { writer, schema, numbers: like.numbers })
    }

    /// Appends the rows of `table` (the same columns).
    pub fn write(&mut self, table: &Table) -> Result<(), String> {
        for start in (0..table.rows).step_by(1 << 20) {
            let range = start..(start + (1 << 20)).min(table.rows);
            let columns = table
                .columns
                .iter()
                .map(|c| array(&c.column, self.numbers, range.clone()))
                .collect::<Result<Vec<_>, _>>()?;
            let batch = RecordBatch::try_new(self.schema.clone(), columns).map_err(|e| e.to_string())?;
            self.writer.write(&batch).map_err(|e| e.to_string())?;
        }
        Ok(())
    }

    /// Writes the footer and closes the file.
    pub fn finish(self) -> Result<(), String> {
        self.writer.close().map(|_| ()).map_err(|e| e.to_string())
    }
}
