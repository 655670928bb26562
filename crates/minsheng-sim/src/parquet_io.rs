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
//! Results are written with amounts as `Decimal128(18, 2)` yuan: exact, since
//! every amount is a whole number of fen.

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
use crate::table::{Column, Table};

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
fn data_type(column: &Column) -> DataType {
    match column {
        Column::Count(_) => DataType::UInt64,
        Column::Weight(_) => DataType::Float64,
        Column::Flag(_) => DataType::Boolean,
        Column::Word(_) => DataType::Utf8,
        Column::Amount(_) => DataType::Decimal128(18, 2),
    }
}

/// Rows `range` of a result column as an Arrow array.
fn array(column: &Column, range: std::ops::Range<usize>) -> Result<ArrayRef, String> {
    Ok(match column {
        Column::Count(v) => Arc::new(UInt64Array::from(v[range].to_vec())),
        Column::Weight(v) => Arc::new(Float64Array::from(v[range].to_vec())),
        Column::Flag(v) => Arc::new(BooleanArray::from(v[range].to_vec())),
        Column::Word(v) => Arc::new(StringArray::from(v[range].to_vec())),
        Column::Amount(v) => Arc::new(
            Decimal128Array::from_iter_values(v[range].iter().map(|fen| i128::from(*fen)))
                .with_precision_and_scale(18, 2)
                .map_err(|e| e.to_string())?,
        ),
    })
}

/// Writes a result table ([`crate::table`]) to `path` as Parquet (zstd),
/// amounts as `Decimal128(18, 2)` yuan. The file is written beside `path` and
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

/// A result table written to a Parquet file a batch at a time (zstd, amounts
/// as `Decimal128(18, 2)`), so that a run's results need not be held whole.
pub struct ParquetTableWriter {
    writer: ArrowWriter<File>,
    schema: Arc<Schema>,
}

impl ParquetTableWriter {
    /// Creates `path` with the columns of `like` (a first batch).
    pub fn create(path: &Path, like: &Table) -> Result<ParquetTableWriter, String> {
        let fields: Vec<Field> =
            like.columns.iter().map(|(name, column)| Field::new(name.clone(), data_type(column), false)).collect();
        let schema = Arc::new(Schema::new(fields));
        let props = WriterProperties::builder().set_compression(Compression::ZSTD(ZstdLevel::default())).build();
        let file = File::create(path).map_err(|e| e.to_string())?;
        let writer = ArrowWriter::try_new(file, schema.clone(), Some(props)).map_err(|e| e.to_string())?;
        Ok(ParquetTableWriter { writer, schema })
    }

    /// Appends the rows of `table` (the same columns).
    pub fn write(&mut self, table: &Table) -> Result<(), String> {
        for start in (0..table.rows).step_by(1 << 20) {
            let range = start..(start + (1 << 20)).min(table.rows);
            let columns =
                table.columns.iter().map(|(_, column)| array(column, range.clone())).collect::<Result<Vec<_>, _>>()?;
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
