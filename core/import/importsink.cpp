#include "importsink.h"

#include "utf8.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <set>

namespace rs::import {
namespace {

struct StoredCriterion {
    std::string stableId;
    std::string text;
};

std::int64_t criterionHash(const CriterionItem &c)
{
    return criterionContentHash(c.text, c.weight, c.category, c.checkJson, c.veto);
}

} // namespace

Expected<ImportSink> ImportSink::create(store::Database &db, ImportResult &result)
{
    ImportSink sink(db, result);
    auto find = db.prepare("SELECT id FROM prompts WHERE text = ?1");
    auto insP = db.prepare("INSERT INTO prompts(text, dataset, external_id, conversation, tags)"
                           " VALUES(?1, ?2, ?3, ?4, ?5)");
    auto insR = db.prepare("INSERT OR IGNORE INTO responses(prompt_id, generator, text, text_hash,"
                           " source_file, tier, off_policy, length, is_empty, created_at)"
                           " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
    for (auto *st : {&find, &insP, &insR})
        if (!*st)
            return st->error();
    sink.m_findPrompt = std::move(find.value());
    sink.m_insertPrompt = std::move(insP.value());
    sink.m_insertResponse = std::move(insR.value());
    auto findR = db.prepare("SELECT id, text FROM responses WHERE prompt_id = ?1 AND generator = ?2"
                            " AND text_hash = ?3");
    if (!findR)
        return findR.error();
    sink.m_findResponse = std::move(findR.value());
    auto insPref = db.prepare("INSERT INTO preferences(prompt_id, response_a, response_b, preference,"
                           " source, detail) VALUES(?1, ?2, ?3, ?4, 'import', ?5)");
    if (!insPref)
        return insPref.error();
    sink.m_insertPreference = std::move(insPref.value());
    // Same text form as the schema's strftime('%Y-%m-%dT%H:%M:%fZ','now') default.
    sink.m_createdAt =
        QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs).toStdString();
    return sink;
}

void ImportSink::warn(const QString &file, std::int64_t line, const QString &message)
{
    ++m_result.warningCount;
    if (m_result.warnings.size() < 1000)
        m_result.warnings.push_back(ImportWarning{file, line, message});
}

void ImportSink::fillDerived(RecordItems &items)
{
    items.promptHash = contentHash(items.promptText);
    for (ResponseItem &r : items.responses) {
        r.hash = contentHash(r.text);
        r.length = codePointCount(r.text);
        r.empty = std::all_of(r.text.begin(), r.text.end(), [](char c) {
            return c == ' ' || c == '\n' || c == '\t' || c == '\r';
        });
    }
    items.derived = true;
}

Expected<std::int64_t> ImportSink::promptId(const RecordItems &items)
{
    for (auto [it, end] = m_promptIds.equal_range(items.promptHash); it != end; ++it)
        if (it->second.first == items.promptText)
            return it->second.second;
    m_findPrompt.reset();
    m_findPrompt.bind(1, std::string_view(items.promptText));
    auto row = m_findPrompt.step();
    if (!row)
        return row.error();
    std::int64_t id = 0;
    if (row.value()) {
        id = m_findPrompt.columnInt(0);
    } else {
        auto &st = m_insertPrompt;
        st.reset();
        st.bind(1, std::string_view(items.promptText));
        auto bindOpt = [&st](int i, const std::string &s) {
            if (s.empty())
                st.bindNull(i);
            else
                st.bind(i, std::string_view(s));
        };
        bindOpt(2, items.dataset);
        bindOpt(3, items.externalId);
        bindOpt(4, items.conversationJson);
        bindOpt(5, items.tagsJson);
        if (auto r = st.run(); !r)
            return r.error();
        id = m_db.lastInsertId();
        ++m_result.promptsAdded;
    }
    m_promptIds.emplace(items.promptHash, std::pair(items.promptText, id));
    return id;
}

Expected<void> ImportSink::add(const RecordItems &given, const QString &file)
{
    RecordItems local;
    if (!given.derived) {
        local = given;
        fillDerived(local);
    }
    const RecordItems &items = given.derived ? given : local;
    auto pid = promptId(items);
    if (!pid)
        return pid.error();
    if (file != m_file) {
        m_file = file;
        m_fileUtf8 = file.toUtf8();
    }
    const std::string_view source(m_fileUtf8.constData(), size_t(m_fileUtf8.size()));
    for (const ResponseItem &r : items.responses) {
        auto stored = insertResponse(pid.value(), r, source, r.hash);
        if (!stored)
            return stored.error();
        if (!*stored) {
            // The hash is taken: by this very text (a duplicate), or by another text whose
            // hash collides with it, which is stored under the next free hash instead.
            auto slot = findResponse(pid.value(), r);
            if (!slot)
                return slot.error();
            if (slot->id == 0) {
                stored = insertResponse(pid.value(), r, source, slot->hash);
                if (!stored)
                    return stored.error();
            }
        }
        if (!*stored) {
            ++m_result.duplicates;
            // A pairwise file names responses that are usually stored already (the reference
            // model's outputs): matching them is the point, not worth a warning.
            if (items.preference)
                continue;
            warn(file, items.line,
                 QStringLiteral("duplicate response from %1 for the same prompt; stored once")
                     .arg(QString::fromStdString(r.generator)));
            continue;
        }
        ++m_result.responsesAdded;
        if (r.empty) {
            ++m_result.emptyResponses;
            warn(file, items.line, QStringLiteral("empty response from %1 (kept and flagged)")
                                       .arg(QString::fromStdString(r.generator)));
        }
    }
    if (items.preference && items.responses.size() == 2)
        if (auto r = addPreference(pid.value(), items, file); !r)
            return r;
    if (items.rubric)
        return addRubric(pid.value(), *items.rubric, file, items.line);
    return {};
}

Expected<bool> ImportSink::insertResponse(std::int64_t promptId, const ResponseItem &r,
                                          std::string_view source, std::int64_t hash) {
    // Static binds: `r`, m_fileUtf8 (`source`) and m_createdAt outlive the step below.
    auto &st = m_insertResponse;
    st.reset();
    st.bind(1, promptId);
    st.bindStatic(2, r.generator);
    st.bindStatic(3, r.text);
    st.bind(4, hash);
    st.bindStatic(5, source);
    if (r.tier.empty())
        st.bindNull(6);
    else
        st.bindStatic(6, r.tier);
    st.bind(7, std::int64_t(r.offPolicy));
    st.bind(8, r.length);
    st.bind(9, std::int64_t(r.empty));
    st.bindStatic(10, m_createdAt);
    if (auto res = st.run(); !res)
        return res.error();
    return m_db.changes() > 0;
}

Expected<ImportSink::ResponseSlot> ImportSink::findResponse(std::int64_t promptId,
                                                            const ResponseItem &r) {
    // Probes from the text's own hash: a slot holding another text is a 64-bit collision,
    // and insertResponse's caller moved this text on to the next hash. Ends at the first
    // free slot, so after at most one more probe than the prompt and generator have rows.
    auto &st = m_findResponse;
    std::uint64_t hash = std::uint64_t(r.hash);
    for (;; ++hash) { // unsigned, so wrapping past the largest hash is defined
        st.reset();
        st.bind(1, promptId);
        st.bindStatic(2, r.generator);
        st.bind(3, std::int64_t(hash));
        auto row = st.step();
        if (!row)
            return row.error();
        const bool found = *row && st.columnUtf8(1) == r.text;
        if (!*row || found) {
            const ResponseSlot slot{found ? st.columnInt(0) : 0, std::int64_t(hash)};
            st.reset();
            return slot;
        }
    }
}

Expected<void> ImportSink::addPreference(std::int64_t promptId, const RecordItems &items,
                                         const QString &file) {
    // Responses are matched by prompt, generator and text: the responses' unique key.
    std::int64_t ids[2] = {0, 0};
    for (int k = 0; k < 2; ++k) {
        const ResponseItem &r = items.responses[size_t(k)];
        auto slot = findResponse(promptId, r);
        if (!slot)
            return slot.error();
        if (!slot->id)
            return makeError(QStringLiteral("response from %1 was not stored")
                                 .arg(QString::fromStdString(r.generator)),
                             file, items.line);
        ids[k] = slot->id;
    }
    if (ids[0] == ids[1]) {
        warn(file, items.line, QStringLiteral("both outputs are the same response; no preference stored"));
        return {};
    }
    const QJsonObject detail{{QStringLiteral("file"), file},
                             {QStringLiteral("line"), qint64(items.line)},
                             {QStringLiteral("annotator"), QString::fromStdString(items.preference->annotator)}};
    auto &st = m_insertPreference;
    st.reset();
    st.bind(1, promptId);
    st.bind(2, ids[0]);
    st.bind(3, ids[1]);
    if (items.preference->preferenceB)
        st.bind(4, *items.preference->preferenceB);
    else
        st.bindNull(4);
    st.bind(5, QString::fromUtf8(QJsonDocument(detail).toJson(QJsonDocument::Compact)));
    if (auto r = st.run(); !r)
        return r;
    ++m_result.preferencesAdded;
    if (!items.preference->preferenceB)
        warn(file, items.line, QStringLiteral("no preference given (null); stored without one"));
    return {};
}

Expected<void> ImportSink::addRubric(std::int64_t promptId, const RubricItem &rubric,
                                     const QString &file, std::int64_t line)
{
    // An imported rubric for a prompt that has one becomes a new version of it, so lineage
    // and criterion ids carry over; an identical one is not stored twice.
    auto find = m_db.prepare("SELECT id, head_version_id FROM rubrics WHERE prompt_id = ?1"
                             " ORDER BY id LIMIT 1");
    if (!find)
        return find.error();
    find->bind(1, promptId);
    auto row = find->step();
    if (!row)
        return row.error();
    std::int64_t rubricId = 0, parent = 0;
    std::vector<StoredCriterion> previous;
    std::set<std::int64_t> previousHashes;
    int nextNumber = 1;
    std::string previousAggregation;
    if (row.value()) {
        rubricId = find->columnInt(0);
        parent = find->columnInt(1);
        auto agg = m_db.prepare("SELECT coalesce(aggregation, '') FROM rubric_versions"
                                " WHERE id = ?1");
        if (!agg)
            return agg.error();
        agg->bind(1, parent);
        if (auto a = agg->step(); !a)
            return a.error();
        else if (a.value())
            previousAggregation = agg->columnText(0).toStdString();
        auto cs = m_db.prepare("SELECT stable_id, text, content_hash FROM criteria"
                               " WHERE version_id = ?1 ORDER BY position");
        if (!cs)
            return cs.error();
        cs->bind(1, parent);
        std::multiset<std::int64_t> oldHashes;
        auto walked = cs->forEach([&] {
            const QString sid = cs->columnText(0);
            previous.push_back({sid.toStdString(), cs->columnText(1).toStdString()});
            oldHashes.insert(cs->columnInt(2));
            if (sid.startsWith(QLatin1Char('c')))
                nextNumber = std::max(nextNumber, sid.mid(1).toInt() + 1);
        });
        if (!walked)
            return walked.error();
        std::multiset<std::int64_t> newHashes;
        for (const auto &c : rubric.criteria)
            newHashes.insert(criterionHash(c));
        if (oldHashes == newHashes && previousAggregation == rubric.aggregationJson) {
            warn(file, line, QStringLiteral("rubric identical to the prompt's current version; "
                                            "not stored again"));
            return {};
        }
        auto upd = m_db.prepare("UPDATE rubrics SET scoring = ?2 WHERE id = ?1");
        if (!upd)
            return upd.error();
        upd->bind(1, rubricId);
        upd->bind(2, std::string_view(rubric.scoring));
        if (auto r = upd->run(); !r)
            return r;
    } else {
        auto ins = m_db.prepare("INSERT INTO rubrics(prompt_id, scoring) VALUES(?1, ?2)");
        if (!ins)
            return ins.error();
        ins->bind(1, promptId);
        ins->bind(2, std::string_view(rubric.scoring));
        if (auto r = ins->run(); !r)
            return r;
        rubricId = m_db.lastInsertId();
        ++m_result.rubricsAdded;
    }

    auto ver = m_db.prepare("INSERT INTO rubric_versions(rubric_id, parent_id, origin,"
                            " origin_detail, aggregation) VALUES(?1, ?2, 'import', ?3, ?4)");
    if (!ver)
        return ver.error();
    ver->bind(1, rubricId);
    if (parent)
        ver->bind(2, parent);
    else
        ver->bindNull(2);
    const QJsonObject detail{{QStringLiteral("file"), file}, {QStringLiteral("line"), qint64(line)}};
    ver->bind(3, QString::fromUtf8(QJsonDocument(detail).toJson(QJsonDocument::Compact)));
    if (rubric.aggregationJson.empty())
        ver->bindNull(4);
    else
        ver->bind(4, std::string_view(rubric.aggregationJson));
    if (auto r = ver->run(); !r)
        return r;
    const std::int64_t versionId = m_db.lastInsertId();
    ++m_result.rubricVersionsAdded;

    auto insC = m_db.prepare("INSERT INTO criteria(version_id, stable_id, position, text, weight,"
                             " category, tags, content_hash, check_json, veto)"
                             " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
    if (!insC)
        return insC.error();
    std::set<std::string> used;
    int position = 0;
    for (const CriterionItem &c : rubric.criteria) {
        // A criterion whose text is unchanged keeps its id; the rest get fresh ones. A native
        // pack names its ids, and they are kept so that the pack round-trips.
        std::string sid = c.stableId;
        if (sid.empty())
            for (const auto &p : previous)
                if (p.text == c.text && !used.count(p.stableId)) {
                    sid = p.stableId;
                    break;
                }
        if (sid.empty())
            sid = "c" + std::to_string(nextNumber++);
        used.insert(sid);
        insC->reset();
        insC->bind(1, versionId);
        insC->bind(2, std::string_view(sid));
        insC->bind(3, std::int64_t(position++));
        insC->bind(4, std::string_view(c.text));
        insC->bind(5, c.weight);
        if (c.category.empty())
            insC->bindNull(6);
        else
            insC->bind(6, std::string_view(c.category));
        if (c.tagsJson.empty())
            insC->bindNull(7);
        else
            insC->bind(7, std::string_view(c.tagsJson));
        insC->bind(8, criterionHash(c));
        if (c.checkJson.empty())
            insC->bindNull(9);
        else
            insC->bind(9, std::string_view(c.checkJson));
        insC->bind(10, std::int64_t(c.veto));
        if (auto r = insC->run(); !r)
            return r;
        ++m_result.criteriaAdded;
    }
    auto head = m_db.prepare("UPDATE rubrics SET head_version_id = ?2 WHERE id = ?1");
    if (!head)
        return head.error();
    head->bind(1, rubricId);
    head->bind(2, versionId);
    return head->run();
}

} // namespace rs::import
