#pragma once

#include "common/error.h"
#include "importconfig.h"
#include "importitems.h"

#include <nlohmann/json_fwd.hpp>

#include <string_view>

namespace rs::import {

/// Turns parsed JSON records of one file into RecordItems for a given format. Pure: no I/O,
/// so each format's rules are unit-testable on literals.
class RecordMapper final {
public:
    RecordMapper(Format format, const ImportConfig &config, QString file);

    /// Guesses the format from a file's first record; Jsonl when only a field map fits.
    static Expected<Format> detect(const nlohmann::json &first, const ImportConfig &config,
                                   const QString &file, qint64 line);

    /// Parses and maps one record. Errors name the file and the line the problem is on.
    Expected<RecordItems> map(std::string_view text, qint64 line) const;

private:
    Expected<RecordItems> mapAlpacaEval(const nlohmann::json &j, qint64 line) const;
    Expected<RecordItems> mapRollouts(const nlohmann::json &j, qint64 line) const;
    Expected<RecordItems> mapGeneric(const nlohmann::json &j, qint64 line) const;
    Expected<RecordItems> mapHealthBench(const nlohmann::json &j, qint64 line) const;
    Expected<RecordItems> mapRubrics(const nlohmann::json &j, qint64 line) const;
    Expected<RecordItems> mapPairwise(const nlohmann::json &j, qint64 line) const;
    Error fieldError(qint64 line, const QString &message) const;
    /// The generic format's fast path: false when the record needs the DOM route.
    bool mapFlat(std::string_view text, qint64 line, RecordItems &items) const;

    Format m_format;
    bool m_flat = false; ///< Jsonl with distinct, undotted field names: FieldScanner can map it
    std::string m_promptKey, m_responseKey, m_generatorKey, m_tierKey, m_defaultTier;
    const ImportConfig &m_config;
    QString m_file;
    std::string m_defaultGenerator;
};

/// A HealthBench conversation as prompt text: a single turn is its content; several turns are
/// "[role]\ncontent" blocks separated by blank lines. Pack import renders the same way.
std::string renderConversation(const nlohmann::json &turns);

/// Parses JSON text; an error names the line of the fault (the record's line plus the
/// newlines before it) and nlohmann's reason without its internal prefix.
Expected<nlohmann::json> parseJson(std::string_view text, const QString &file, qint64 line);

} // namespace rs::import
