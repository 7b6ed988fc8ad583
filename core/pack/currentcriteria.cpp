#include "currentcriteria.h"

#include "store/database.h"

namespace rs::pack {

Expected<void> forEachCurrentCriterion(store::Database &db,
                                       const std::function<void(const CurrentCriterion &)> &visit)
{
    auto cs = db.prepare("SELECT b.prompt_id, p.text, b.scoring, c.stable_id, c.text, c.weight FROM rubrics b"
                         " JOIN prompts p ON p.id = b.prompt_id"
                         " JOIN criteria c ON c.version_id = b.head_version_id"
                         " WHERE b.id = (SELECT min(x.id) FROM rubrics x WHERE x.prompt_id = b.prompt_id)"
                         " ORDER BY b.prompt_id, c.position");
    if (!cs)
        return cs.error();
    while (true) {
        auto row = cs->step();
        if (!row)
            return row.error();
        if (!row.value())
            return {};
        visit(CurrentCriterion{cs->columnInt(0), cs->columnText(1), cs->columnText(2), cs->columnText(3),
                               cs->columnText(4), cs->columnDouble(5)});
    }
}

} // namespace rs::pack
