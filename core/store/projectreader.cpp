#include "projectreader.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace rs::store {
namespace {

// LIKE with our own escape character, so a filter containing % or _ matches literally.
QString likePattern(const QString &filter)
{
    QString f = filter;
    f.replace(QLatin1Char('\\'), QStringLiteral("\\\\"));
    f.replace(QLatin1Char('%'), QStringLiteral("\\%"));
    f.replace(QLatin1Char('_'), QStringLiteral("\\_"));
    return QLatin1Char('%') + f + QLatin1Char('%');
}

} // namespace

Expected<ProjectReader> ProjectReader::open(const QString &path)
{
    auto db = Database::open(path, Database::Mode::ReadOnly);
    if (!db)
        return db.error();
    return ProjectReader(std::move(db.value()));
}

Expected<ProjectStats> ProjectReader::stats()
{
    ProjectStats s;
    struct Q {
        qint64 *out;
        const char *sql;
    };
    const Q queries[] = {
        {&s.prompts, "SELECT count(*) FROM prompts"},
        {&s.responses, "SELECT count(*) FROM responses"},
        {&s.generators, "SELECT count(DISTINCT generator) FROM responses"},
        {&s.rubrics, "SELECT count(*) FROM rubrics"},
        {&s.criteria, "SELECT count(*) FROM criteria c JOIN rubrics r ON c.version_id = "
                      "r.head_version_id"},
        {&s.verdicts, "SELECT count(*) FROM verdicts"},
        {&s.emptyResponses, "SELECT count(*) FROM responses WHERE is_empty"},
        {&s.servedRewards, "SELECT count(*) FROM served_rewards WHERE status = 'ok'"},
    };
    for (const auto &q : queries) {
        auto v = m_db.scalar(q.sql);
        if (!v)
            return v.error();
        *q.out = v.value();
    }
    return s;
}

Expected<qint64> ProjectReader::promptCount(const QString &filter)
{
    if (filter.isEmpty())
        return m_db.scalar("SELECT count(*) FROM prompts");
    auto st = m_db.prepare("SELECT count(*) FROM prompts WHERE text LIKE ?1 ESCAPE '\\'");
    if (!st)
        return st.error();
    st->bind(1, likePattern(filter));
    auto row = st->step();
    if (!row)
        return row.error();
    return qint64(st->columnInt(0));
}

Expected<QList<PromptSummary>> ProjectReader::prompts(const QString &filter, qint64 offset,
                                                      qint64 limit)
{
    // Counts come from correlated subqueries on indexed columns: cheap per page, and a page is
    // all a lazily-fetching view ever asks for.
    auto st = m_db.prepare(
        "SELECT p.id, substr(p.text, 1, 400), coalesce(p.dataset, ''),"
        " (SELECT count(*) FROM responses r WHERE r.prompt_id = p.id),"
        " (SELECT count(*) FROM rubrics b JOIN criteria c ON c.version_id = b.head_version_id"
        "   WHERE b.prompt_id = p.id),"
        " (SELECT count(*) FROM rubrics b JOIN rubric_versions v ON v.rubric_id = b.id"
        "   WHERE b.prompt_id = p.id)"
        " FROM prompts p WHERE (?1 IS NULL OR p.text LIKE ?1 ESCAPE '\\')"
        " ORDER BY p.id LIMIT ?2 OFFSET ?3");
    if (!st)
        return st.error();
    if (filter.isEmpty())
        st->bindNull(1);
    else
        st->bind(1, likePattern(filter));
    st->bind(2, std::int64_t(limit));
    st->bind(3, std::int64_t(offset));
    QList<PromptSummary> out;
    auto walked = st->forEach([&] {
        out.push_back(PromptSummary{st->columnInt(0), st->columnText(1), st->columnText(2),
                                    st->columnInt(3), st->columnInt(4), int(st->columnInt(5))});
    });
    if (!walked)
        return walked.error();
    return out;
}

Expected<QString> ProjectReader::promptText(qint64 promptId)
{
    auto st = m_db.prepare("SELECT text FROM prompts WHERE id = ?1");
    if (!st)
        return st.error();
    st->bind(1, std::int64_t(promptId));
    auto row = st->step();
    if (!row)
        return row.error();
    if (!row.value())
        return makeError(QStringLiteral("no prompt with id %1").arg(promptId));
    return st->columnText(0);
}

Expected<QList<ResponseRecord>> ProjectReader::responses(qint64 promptId)
{
    auto st = m_db.prepare(
        "SELECT id, prompt_id, generator, text, coalesce(tier, ''), coalesce(source_file, ''),"
        " length, off_policy, is_empty FROM responses WHERE prompt_id = ?1 ORDER BY id");
    if (!st)
        return st.error();
    st->bind(1, std::int64_t(promptId));
    QList<ResponseRecord> out;
    auto walked = st->forEach([&] {
        out.push_back(ResponseRecord{st->columnInt(0), st->columnInt(1), st->columnText(2),
                                     st->columnText(3), st->columnText(4), st->columnText(5),
                                     st->columnInt(6), st->columnInt(7) != 0,
                                     st->columnInt(8) != 0});
    });
    if (!walked)
        return walked.error();
    return out;
}

Expected<std::optional<RubricRecord>> ProjectReader::rubric(qint64 promptId)
{
    auto st = m_db.prepare(
        "SELECT b.id, b.head_version_id, b.name, b.scoring, v.origin,"
        " (SELECT count(*) FROM rubric_versions x WHERE x.rubric_id = b.id),"
        " coalesce(v.aggregation, '')"
        " FROM rubrics b JOIN rubric_versions v ON v.id = b.head_version_id"
        " WHERE b.prompt_id = ?1 ORDER BY b.id LIMIT 1");
    if (!st)
        return st.error();
    st->bind(1, std::int64_t(promptId));
    auto row = st->step();
    if (!row)
        return row.error();
    if (!row.value())
        return std::optional<RubricRecord>();
    RubricRecord r;
    r.rubricId = st->columnInt(0);
    r.versionId = st->columnInt(1);
    r.name = st->columnText(2);
    r.scoring = st->columnText(3);
    r.origin = st->columnText(4);
    r.versionCount = int(st->columnInt(5));
    r.aggregation = st->columnText(6);

    auto cs = m_db.prepare("SELECT id, stable_id, text, weight, coalesce(category, ''),"
                           " coalesce(tags, '[]'), coalesce(check_json, ''), veto FROM criteria"
                           " WHERE version_id = ?1 ORDER BY position");
    if (!cs)
        return cs.error();
    cs->bind(1, std::int64_t(r.versionId));
    auto walked = cs->forEach([&] {
        r.criteria.push_back(CriterionRecord{cs->columnInt(0), cs->columnText(1), cs->columnText(2),
                                             cs->columnDouble(3), cs->columnText(4),
                                             tagsFromJson(cs->columnText(5)), cs->columnText(6),
                                             cs->columnInt(7) != 0});
    });
    if (!walked)
        return walked.error();
    return std::optional<RubricRecord>(std::move(r));
}

Expected<QStringList> ProjectReader::generators()
{
    auto st = m_db.prepare("SELECT DISTINCT generator FROM responses ORDER BY generator");
    if (!st)
        return st.error();
    QStringList out;
    auto walked = st->forEach([&] { out << st->columnText(0); });
    if (!walked)
        return walked.error();
    return out;
}

} // namespace rs::store
