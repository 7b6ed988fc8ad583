#pragma once

#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

namespace rs::import {

enum class Format { Auto, AlpacaEval, Rollouts, Jsonl, HealthBench, Rubrics, Pairwise };

QString formatName(Format format);
std::optional<Format> formatFromName(const QString &name);
QStringList formatNames();

enum class OnError {
    Skip, ///< report each bad record and go on
    Abort ///< the first bad record rolls the whole import back
};

/// For the generic JSON/JSONL format: which field of a record holds what. Nested fields can
/// be named with dots ("meta.model"). Empty names are unmapped.
struct FieldMap final {
    QString prompt;
    QString response;
    QString generator;
    QString tier;

    /// Parses "prompt=F,response=F,generator=F,tier=F"; nullopt and `error` set when malformed.
    static std::optional<FieldMap> parse(const QString &spec, QString *error);
    bool isEmpty() const { return prompt.isEmpty() && response.isEmpty(); }
};

struct ImportConfig final {
    QStringList files;
    Format format = Format::Auto; ///< Auto detects per file from the first record
    FieldMap map;
    QString tier;            ///< tier tag for responses that carry none (e.g. "great")
    bool offPolicy = false;  ///< responses came from other models than the policy
    OnError onError = OnError::Abort;
    qint64 maxRecordBytes = qint64(32) << 20; ///< one record (line/element) larger is an error
    int maxStoredWarnings = 1000;
};

struct ImportWarning final {
    QString file;
    qint64 line = 0;
    QString message;
    QString toString() const;
};

struct ImportResult final {
    qint64 records = 0;
    qint64 skipped = 0;
    qint64 promptsAdded = 0;
    qint64 responsesAdded = 0;
    qint64 duplicates = 0;
    qint64 emptyResponses = 0;
    qint64 rubricsAdded = 0;       ///< new rubrics
    qint64 rubricVersionsAdded = 0; ///< new versions, including each new rubric's first
    qint64 criteriaAdded = 0;
    qint64 preferencesAdded = 0; ///< gold preferences from pairwise annotation files
    qint64 bytes = 0;
    qint64 warningCount = 0;       ///< all warnings, also those beyond maxStoredWarnings
    QList<ImportWarning> warnings; ///< the first maxStoredWarnings of them
    QMap<QString, Format> formats; ///< file -> format used
};

/// Called with bytes read so far and the total; returning false cancels the import.
using ProgressFn = std::function<bool(qint64 done, qint64 total)>;

} // namespace rs::import
