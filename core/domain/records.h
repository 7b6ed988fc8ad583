#pragma once

#include <QJsonArray>
#include <QJsonDocument>
#include <QList>
#include <QString>
#include <QStringList>

namespace rs {

/// Row types the store hands to views and tools. Plain values, cheap to copy across threads.

struct ProjectStats final {
    qint64 prompts = 0;
    qint64 responses = 0;
    qint64 generators = 0;
    qint64 rubrics = 0;
    qint64 criteria = 0; ///< criteria in each rubric's current version
    qint64 verdicts = 0;
    qint64 emptyResponses = 0;
    qint64 servedRewards = 0; ///< items the reward server rewarded (served_rewards, status ok)
};

struct PromptSummary final {
    qint64 id = 0;
    QString text;
    QString dataset;
    qint64 responses = 0;
    qint64 criteria = 0; ///< in the current rubric version, 0 when the prompt has no rubric
    int rubricVersion = 0; ///< number of versions of the prompt's rubric
};

struct ResponseRecord final {
    qint64 id = 0;
    qint64 promptId = 0;
    QString generator;
    QString text;
    QString tier;
    QString sourceFile;
    qint64 length = 0;
    bool offPolicy = false;
    bool empty = false;
};

struct CriterionRecord final {
    qint64 id = 0;
    QString stableId;
    QString text;
    double weight = 0; ///< weight (weights scoring) or points (points scoring; may be negative)
    QString category;
    QStringList tags;
    QString checkJson; ///< canonical check (rubric/checkspec.h); empty: the judge decides
    bool veto = false; ///< failing it caps the reward at the version's veto cap
};

struct RubricRecord final {
    qint64 rubricId = 0;
    qint64 versionId = 0;
    int versionCount = 0;
    QString name;
    QString scoring; ///< "weights" or "points"
    QString origin;
    QString aggregation; ///< canonical aggregation JSON of the version; empty: plain scoring
    QList<CriterionRecord> criteria;
};

/// Tags as stored in the project: a JSON array of strings ("[]" or empty for none). The store's
/// reader and the rubric versions both read them through this.
inline QStringList tagsFromJson(const QString &json)
{
    QStringList out;
    const QJsonArray array = QJsonDocument::fromJson(json.toUtf8()).array();
    for (const auto &v : array)
        out << v.toString();
    return out;
}

} // namespace rs
