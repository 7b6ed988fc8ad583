#include "rubricdiff.h"

#include "checkspec.h"
#include "rubricversions.h"
#include "textsimilarity.h"

#include <algorithm>
#include <cstdlib>
#include <vector>

namespace rs::rubric {
namespace {

bool sameAttributes(const CriterionRecord &a, const CriterionRecord &b) {
    return a.weight == b.weight && a.category == b.category && a.tags == b.tags &&
           a.checkJson == b.checkJson && a.veto == b.veto;
}

class Differ final {
public:
    Differ(const QList<CriterionRecord> &from, const QList<CriterionRecord> &to)
        : m_from(from)
        , m_to(to)
        , m_fromUsed(size_t(from.size()), false)
        , m_toUsed(size_t(to.size()), false) {}

    QList<DiffEntry> run() {
        pairIdentical();
        findGroups(false);
        findGroups(true);
        pairSameIds();
        pairSimilar();
        for (int i = 0; i < m_to.size(); ++i)
            if (!m_toUsed[size_t(i)])
                m_entries.push_back({DiffKind::Added, {}, {i}, 0, false});
        for (int i = 0; i < m_from.size(); ++i)
            if (!m_fromUsed[size_t(i)])
                m_entries.push_back({DiffKind::Removed, {i}, {}, 0, false});
        order();
        return m_entries;
    }

private:
    void pair(int f, int t, DiffKind kind, double sim) {
        m_fromUsed[size_t(f)] = m_toUsed[size_t(t)] = true;
        m_entries.push_back({kind, {f}, {t}, sim, m_from[f].stableId != m_to[t].stableId});
    }

    void pairIdentical() {
        // Same normalised text: unchanged or re-weighted. Prefer the same stable id, then the
        // closest position, so a duplicated criterion pairs with its original.
        for (int pass = 0; pass < 2; ++pass)
            for (int t = 0; t < m_to.size(); ++t) {
                if (m_toUsed[size_t(t)])
                    continue;
                const QString nt = TextSimilarity::normalise(m_to[t].text);
                int best = -1;
                for (int f = 0; f < m_from.size(); ++f) {
                    if (m_fromUsed[size_t(f)] || TextSimilarity::normalise(m_from[f].text) != nt)
                        continue;
                    if (pass == 0 && m_from[f].stableId != m_to[t].stableId)
                        continue;
                    if (best < 0 || std::abs(f - t) < std::abs(best - t))
                        best = f;
                }
                if (best >= 0)
                    pair(best, t,
                         sameAttributes(m_from[best], m_to[t]) ? DiffKind::Unchanged
                                                               : DiffKind::Reweighted,
                         1.0);
            }
    }

    // merge == false: one old criterion whose parts are two or more new ones (split).
    // merge == true: one new criterion that contains two or more old ones (merged).
    void findGroups(bool merge) {
        const auto &wholes = merge ? m_to : m_from;
        const auto &parts = merge ? m_from : m_to;
        auto &wholeUsed = merge ? m_toUsed : m_fromUsed;
        auto &partUsed = merge ? m_fromUsed : m_toUsed;
        // Each unpaired part goes to the whole that contains it best.
        std::vector<int> owner(size_t(parts.size()), -1);
        std::vector<double> ownerScore(size_t(parts.size()), 0.0);
        for (int p = 0; p < parts.size(); ++p) {
            if (partUsed[size_t(p)] || TextSimilarity::tokens(parts[p].text).size() < 2)
                continue;
            for (int w = 0; w < wholes.size(); ++w) {
                if (wholeUsed[size_t(w)])
                    continue;
                // The part must be the smaller side, or this is just a rewrite.
                if (TextSimilarity::tokens(parts[p].text).size() >=
                    TextSimilarity::tokens(wholes[w].text).size())
                    continue;
                const double c = TextSimilarity::containment(parts[p].text, wholes[w].text);
                if (c >= kPartContainment && c > ownerScore[size_t(p)]) {
                    owner[size_t(p)] = w;
                    ownerScore[size_t(p)] = c;
                }
            }
        }
        for (int w = 0; w < wholes.size(); ++w) {
            QList<int> members;
            double lowest = 1.0;
            for (int p = 0; p < parts.size(); ++p)
                if (owner[size_t(p)] == w) {
                    members << p;
                    lowest = std::min(lowest, ownerScore[size_t(p)]);
                }
            if (members.size() < 2)
                continue;
            wholeUsed[size_t(w)] = true;
            for (int p : members)
                partUsed[size_t(p)] = true;
            DiffEntry e;
            e.kind = merge ? DiffKind::Merged : DiffKind::Split;
            e.similarity = lowest;
            if (merge) {
                e.from = members;
                e.to = {w};
            } else {
                e.from = {w};
                e.to = members;
            }
            m_entries.push_back(e);
        }
    }

    void pairSameIds() {
        // The editor keeps a criterion's id when its text is edited, however heavily: an id
        // is the user's statement that this is the same criterion.
        for (int t = 0; t < m_to.size(); ++t) {
            if (m_toUsed[size_t(t)] || m_to[t].stableId.isEmpty())
                continue;
            for (int f = 0; f < m_from.size(); ++f)
                if (!m_fromUsed[size_t(f)] && m_from[f].stableId == m_to[t].stableId) {
                    pair(f, t, DiffKind::Rewritten,
                         TextSimilarity::similarity(m_from[f].text, m_to[t].text));
                    break;
                }
        }
    }

    void pairSimilar() {
        struct Candidate {
            double sim;
            int f, t;
        };
        std::vector<Candidate> cs;
        for (int f = 0; f < m_from.size(); ++f)
            for (int t = 0; t < m_to.size(); ++t) {
                if (m_fromUsed[size_t(f)] || m_toUsed[size_t(t)])
                    continue;
                const double s = TextSimilarity::similarity(m_from[f].text, m_to[t].text);
                if (s >= kRewriteSimilarity)
                    cs.push_back({s, f, t});
            }
        std::sort(cs.begin(), cs.end(), [](const Candidate &a, const Candidate &b) {
            return a.sim != b.sim ? a.sim > b.sim : std::abs(a.f - a.t) < std::abs(b.f - b.t);
        });
        for (const auto &c : cs)
            if (!m_fromUsed[size_t(c.f)] && !m_toUsed[size_t(c.t)])
                pair(c.f, c.t, DiffKind::Rewritten, c.sim);
    }

    void order() {
        // Rows follow the new version; a removed criterion sits after the row holding its
        // old predecessor, so it shows where it used to be.
        std::vector<double> key(size_t(m_entries.size()));
        std::vector<double> fromKey(size_t(m_from.size()), -1.0);
        for (size_t i = 0; i < key.size(); ++i) {
            const auto &e = m_entries[qsizetype(i)];
            if (!e.to.isEmpty()) {
                key[i] = *std::min_element(e.to.begin(), e.to.end());
                for (int f : e.from)
                    fromKey[size_t(f)] = key[i];
            }
        }
        for (size_t i = 0; i < key.size(); ++i) {
            const auto &e = m_entries[qsizetype(i)];
            if (!e.to.isEmpty())
                continue;
            double k = -0.5;
            for (int f = e.from.first() - 1; f >= 0; --f)
                if (fromKey[size_t(f)] >= 0) {
                    k = fromKey[size_t(f)] + 0.5;
                    break;
                }
            key[i] = k + e.from.first() * 1e-6;
        }
        std::vector<size_t> idx(key.size());
        for (size_t i = 0; i < idx.size(); ++i)
            idx[i] = i;
        std::stable_sort(idx.begin(), idx.end(),
                         [&](size_t a, size_t b) { return key[a] < key[b]; });
        QList<DiffEntry> sorted;
        for (size_t i : idx)
            sorted.push_back(m_entries[qsizetype(i)]);
        m_entries = sorted;
    }

    const QList<CriterionRecord> &m_from;
    const QList<CriterionRecord> &m_to;
    std::vector<bool> m_fromUsed, m_toUsed;
    QList<DiffEntry> m_entries;
};

} // namespace

QString diffKindName(DiffKind kind) {
    switch (kind) {
    case DiffKind::Unchanged:
        return QStringLiteral("unchanged");
    case DiffKind::Reweighted:
        return QStringLiteral("re-weighted");
    case DiffKind::Rewritten:
        return QStringLiteral("rewritten");
    case DiffKind::Added:
        return QStringLiteral("added");
    case DiffKind::Removed:
        return QStringLiteral("removed");
    case DiffKind::Split:
        return QStringLiteral("split");
    case DiffKind::Merged:
        return QStringLiteral("merged");
    }
    return {};
}

int RubricDiff::count(DiffKind kind) const {
    return int(std::count_if(entries.begin(), entries.end(),
                             [kind](const DiffEntry &e) { return e.kind == kind; }));
}

QString RubricDiff::summary() const {
    QStringList parts;
    for (DiffKind k :
         {DiffKind::Added, DiffKind::Removed, DiffKind::Rewritten, DiffKind::Reweighted,
          DiffKind::Split, DiffKind::Merged, DiffKind::Unchanged})
        if (const int n = count(k))
            parts << QStringLiteral("%1 %2").arg(n).arg(diffKindName(k));
    if (aggregationChanged())
        parts << QStringLiteral("aggregation changed");
    return parts.isEmpty() ? QStringLiteral("both empty") : parts.join(QStringLiteral(", "));
}

RubricDiff diffCriteria(const QList<CriterionRecord> &from, const QList<CriterionRecord> &to) {
    RubricDiff d;
    d.fromCriteria = from;
    d.toCriteria = to;
    d.entries = Differ(d.fromCriteria, d.toCriteria).run();
    return d;
}

Expected<RubricDiff> diffVersions(store::Database &db, qint64 fromVersionId, qint64 toVersionId) {
    auto from = loadVersion(db, fromVersionId);
    if (!from)
        return from.error();
    auto to = loadVersion(db, toVersionId);
    if (!to)
        return to.error();
    RubricDiff d = diffCriteria(from->criteria, to->criteria);
    d.fromAggregation = from->aggregation;
    d.toAggregation = to->aggregation;
    return d;
}

QString criterionMechanics(const CriterionRecord &c) {
    QStringList parts;
    if (!c.checkJson.isEmpty()) {
        auto spec = checkFromText(c.checkJson);
        parts << (spec ? checkSummary(spec.value()) : QStringLiteral("check (unreadable)"));
    }
    if (c.veto)
        parts << QStringLiteral("veto");
    return parts.join(QStringLiteral(" · "));
}

} // namespace rs::rubric
