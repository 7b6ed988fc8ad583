#pragma once

#include "common/error.h"

#include <QString>

#include <cstdio>
#include <memory>
#include <string>

namespace rs::import {

/// How records sit in a file.
enum class FileShape {
    Lines,   ///< JSONL: one JSON value per line
    Array,   ///< a JSON array of records, possibly pretty-printed over many lines
    Document ///< one JSON object spanning the file (e.g. a HealthBench example)
};

/// One record's raw text and the 1-based line it starts on.
struct RawRecord final {
    std::string text;
    qint64 line = 0;
};

/// Splits a file into records without parsing them, reading in fixed-size chunks so memory
/// stays flat whatever the file size. Records larger than the limit are reported, not loaded.
class RecordReader final {
public:
    enum class Status { Record, End, Error };

    RecordReader(QString path, qint64 maxRecordBytes);
    ~RecordReader();
    RecordReader(const RecordReader &) = delete;
    RecordReader &operator=(const RecordReader &) = delete;

    /// Opens the file and sniffs its shape from the first bytes.
    Expected<FileShape> open();
    FileShape shape() const { return m_shape; }

    /// Reads the next record into `out`. On Error, `error()` says why; for a per-record error
    /// (record too large) reading can go on with the next call; after a structural error in
    /// an array (unterminated value) the reader returns End.
    Status next(RawRecord &out);
    const Error &error() const { return m_error; }

    qint64 bytesRead() const { return m_consumed; }
    qint64 fileSize() const { return m_size; }

private:
    bool fill();
    int peekByte();
    int getByte();
    Status nextLine(RawRecord &out);
    Status nextArrayElement(RawRecord &out);
    Status nextDocument(RawRecord &out);
    Status fail(qint64 line, QString message);

    QString m_path;
    qint64 m_maxRecordBytes;
    std::FILE *m_file = nullptr;
    FileShape m_shape = FileShape::Lines;
    std::unique_ptr<char[]> m_buf;
    size_t m_bufLen = 0;
    size_t m_bufPos = 0;
    qint64 m_consumed = 0;
    qint64 m_size = 0;
    qint64 m_line = 1;
    bool m_eof = false;
    bool m_done = false;
    bool m_arrayOpen = false;
    Error m_error;
};

} // namespace rs::import
