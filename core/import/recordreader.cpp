#include "recordreader.h"
#include "common/jsonnesting.h"

#include <QFileInfo>

#include <cerrno>
#include <cstring>

namespace rs::import {
namespace {
constexpr size_t kChunk = size_t(1) << 20;

bool isSpace(int c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
} // namespace

RecordReader::RecordReader(QString path, qint64 maxRecordBytes)
    : m_path(std::move(path)), m_maxRecordBytes(maxRecordBytes), m_buf(new char[kChunk])
{
}

RecordReader::~RecordReader()
{
    if (m_file)
        std::fclose(m_file);
}

RecordReader::Status RecordReader::fail(qint64 line, QString message)
{
    m_error = makeError(std::move(message), m_path, line);
    return Status::Error;
}

bool RecordReader::fill()
{
    if (m_eof)
        return false;
    m_bufLen = std::fread(m_buf.get(), 1, kChunk, m_file);
    m_bufPos = 0;
    if (m_bufLen == 0) {
        m_eof = true;
        return false;
    }
    return true;
}

int RecordReader::peekByte()
{
    if (m_bufPos == m_bufLen && !fill())
        return -1;
    return static_cast<unsigned char>(m_buf[m_bufPos]);
}

int RecordReader::getByte()
{
    const int c = peekByte();
    if (c >= 0) {
        ++m_bufPos;
        ++m_consumed;
        if (c == '\n')
            ++m_line;
    }
    return c;
}

Expected<FileShape> RecordReader::open()
{
    const QByteArray p = QFile::encodeName(m_path);
    m_file = std::fopen(p.constData(), "rb");
    if (!m_file)
        return makeError(QStringLiteral("cannot open: %1").arg(QString::fromLocal8Bit(std::strerror(errno))),
                         m_path);
    m_size = QFileInfo(m_path).size();

    // Skip a UTF-8 byte order mark and leading whitespace, then look at the first value.
    if (peekByte() == 0xEF) {
        getByte();
        if (getByte() != 0xBB || getByte() != 0xBF)
            return makeError(QStringLiteral("invalid UTF-8 at the start of the file"), m_path, 1);
    }
    while (isSpace(peekByte()))
        getByte();
    const int first = peekByte();
    if (first < 0)
        return makeError(QStringLiteral("file is empty"), m_path);
    if (first == '[') {
        getByte();
        m_shape = FileShape::Array;
        m_arrayOpen = true;
        return m_shape;
    }
    if (first != '{')
        return makeError(QStringLiteral("expected a JSON object or array, found '%1'")
                             .arg(QChar(first)),
                         m_path, m_line);

    // An object: JSONL when the first value closes on its own line, one document otherwise.
    // Scan the buffered bytes only; a first line longer than the buffer is treated as JSONL.
    JsonNesting nesting;
    for (size_t i = m_bufPos; i < m_bufLen; ++i) {
        const char c = m_buf[i];
        if (nesting.feed(c) < 0 && nesting.depth == 0) {
            m_shape = FileShape::Lines;
            return m_shape;
        }
        if (c == '\n' && !nesting.inString) {
            m_shape = FileShape::Document;
            return m_shape;
        }
    }
    m_shape = FileShape::Lines;
    return m_shape;
}

RecordReader::Status RecordReader::next(RawRecord &out)
{
    if (m_done)
        return Status::End;
    switch (m_shape) {
    case FileShape::Lines: return nextLine(out);
    case FileShape::Array: return nextArrayElement(out);
    case FileShape::Document: return nextDocument(out);
    }
    return Status::End;
}

RecordReader::Status RecordReader::nextLine(RawRecord &out)
{
    for (;;) {
        out.text.clear();
        out.line = m_line;
        bool tooLarge = false;
        bool sawAny = false;
        for (;;) {
            if (m_bufPos == m_bufLen && !fill())
                break;
            sawAny = true;
            const char *start = m_buf.get() + m_bufPos;
            const size_t avail = m_bufLen - m_bufPos;
            const void *nl = std::memchr(start, '\n', avail);
            const size_t take = nl ? size_t(static_cast<const char *>(nl) - start) : avail;
            if (!tooLarge) {
                if (qint64(out.text.size()) + qint64(take) > m_maxRecordBytes) {
                    tooLarge = true;
                    out.text.clear();
                    out.text.shrink_to_fit();
                } else {
                    out.text.append(start, take);
                }
            }
            m_bufPos += take;
            m_consumed += qint64(take);
            if (nl) {
                ++m_bufPos;
                ++m_consumed;
                ++m_line;
                break;
            }
        }
        if (!sawAny && out.text.empty()) {
            m_done = true;
            return Status::End;
        }
        if (tooLarge)
            return fail(out.line, QStringLiteral("record is larger than the %1 MiB limit")
                                      .arg(m_maxRecordBytes >> 20));
        if (!out.text.empty() && out.text.back() == '\r')
            out.text.pop_back();
        // Blank lines (often a trailing one) are not records.
        bool blank = true;
        for (const char c : out.text)
            if (!isSpace(c)) {
                blank = false;
                break;
            }
        if (!blank)
            return Status::Record;
        if (m_eof && m_bufPos == m_bufLen) {
            m_done = true;
            return Status::End;
        }
    }
}

RecordReader::Status RecordReader::nextArrayElement(RawRecord &out)
{
    out.text.clear();
    // Between elements: whitespace, a comma, or the closing bracket.
    for (;;) {
        const int c = peekByte();
        if (c < 0) {
            m_done = true;
            return fail(m_line, QStringLiteral("unexpected end of file: the JSON array is not "
                                               "closed"));
        }
        if (isSpace(c) || c == ',') {
            getByte();
            continue;
        }
        if (c == ']') {
            getByte();
            while (isSpace(peekByte()))
                getByte();
            m_done = true;
            if (peekByte() >= 0)
                return fail(m_line, QStringLiteral("unexpected content after the closing ']'"));
            return Status::End;
        }
        break;
    }
    out.line = m_line;
    JsonNesting nesting;
    bool tooLarge = false;
    for (;;) {
        const int c = peekByte();
        if (c < 0) {
            m_done = true;
            return fail(out.line, nesting.inString
                                      ? QStringLiteral("unterminated string; the array is not closed")
                                      : QStringLiteral("unexpected end of file inside this record"));
        }
        if (!nesting.inString && nesting.depth == 0 && (c == ',' || c == ']') && !out.text.empty())
            break;
        getByte();
        if (!tooLarge) {
            out.text.push_back(char(c));
            if (qint64(out.text.size()) > m_maxRecordBytes) {
                tooLarge = true;
                out.text.clear();
                out.text.shrink_to_fit();
            }
        }
        nesting.feed(char(c));
    }
    if (tooLarge)
        return fail(out.line, QStringLiteral("record is larger than the %1 MiB limit")
                                  .arg(m_maxRecordBytes >> 20));
    return Status::Record;
}

RecordReader::Status RecordReader::nextDocument(RawRecord &out)
{
    m_done = true;
    out.text.clear();
    out.line = m_line;
    for (;;) {
        if (m_bufPos == m_bufLen && !fill())
            break;
        const size_t take = m_bufLen - m_bufPos;
        if (qint64(out.text.size()) + qint64(take) > m_maxRecordBytes)
            return fail(out.line, QStringLiteral("document is larger than the %1 MiB limit")
                                      .arg(m_maxRecordBytes >> 20));
        out.text.append(m_buf.get() + m_bufPos, take);
        m_bufPos = m_bufLen;
        m_consumed += qint64(take);
    }
    return Status::Record;
}

} // namespace rs::import
