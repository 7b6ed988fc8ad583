#pragma once

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace rs::pack {

/// The rubric formats a pack can be written in and read back from.
enum class PackFormat {
    Native,      ///< our folder: rubrics.jsonl (ids, weights or points, categories, tags), manifest, reward.py
    Paper,       ///< {prompt, rubrics:[{criterion, weight}], number_of_criteria, total_weight}
    HealthBench, ///< {prompt:[{role, content}], prompt_id, example_tags, rubrics:[{criterion, points, tags}]}
    Rar          ///< {prompt, rubric:[{title, description, weight}]} (Scale AI "Rubrics as Rewards")
};

QString formatName(PackFormat format); ///< "native", "paper", "healthbench", "rar"
std::optional<PackFormat> formatFromName(const QString &name);
QStringList formatNames();

/// What a format cannot carry, in a user's words; shown in the export dialog and written to
/// the manifest. Empty for the native format.
QStringList formatLosses(PackFormat format);

/// One criterion as a pack carries it.
struct PackCriterion final {
    QString id;       ///< stable id ("c3")
    QString text;
    double weight = 1; ///< weight (weights scoring) or signed points (points scoring)
    QString category;  ///< "", "pitfall", "essential", ...
    QStringList tags;
    QString checkJson; ///< canonical check; empty: judged (native packs only)
    bool veto = false; ///< native packs only
};

/// One prompt's rubric at the version chosen for the export.
struct PackRubric final {
    QString prompt;
    QString conversationJson; ///< [{role, content}...] for multi-turn prompts, else empty
    QString dataset;
    QString externalId;
    QString promptTagsJson; ///< JSON array, else empty
    QString scoring = QStringLiteral("weights"); ///< "weights" or "points"
    QString aggregation; ///< the version's canonical aggregation JSON; empty: plain scoring
    QList<PackCriterion> criteria;
    // Where it came from in the exporting project (manifest only: not part of the rubric's hash).
    qint64 promptId = 0;
    qint64 versionId = 0;
    QString origin;
    QString tag;
    QString createdAt;
};

/// Which rubrics to export.
struct PackSelection final {
    QList<qint64> promptIds; ///< empty: every prompt with a rubric
    QString tag;             ///< empty: each prompt's current version; else the newest version with this tag
};

struct PackExportOptions final {
    PackFormat format = PackFormat::Native;
    PackSelection selection;
    QString outDir;       ///< created if missing; files in it are replaced
    QString projectName;  ///< for the manifest
    QString toolVersion;  ///< for the manifest
};

struct PackExportResult final {
    QString dir;
    QStringList files;    ///< written, relative to dir
    qint64 rubrics = 0;
    qint64 criteria = 0;
    QStringList skipped;  ///< prompts without the chosen version, "prompt N: reason"
    QString rubricsSha256; ///< of rubrics.jsonl
};

struct PackImportResult final {
    PackFormat format = PackFormat::Native;
    qint64 records = 0;
    qint64 promptsAdded = 0;
    qint64 rubricVersionsAdded = 0;
    qint64 criteriaAdded = 0;
    qint64 unchanged = 0; ///< rubrics identical to the prompt's current version
    QStringList warnings;
    QStringList hashMismatches; ///< native packs: records whose content differs from its hash
};

} // namespace rs::pack
