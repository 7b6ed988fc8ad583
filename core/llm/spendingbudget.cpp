#include "spendingbudget.h"

#include <algorithm>

namespace rs::llm {

std::shared_ptr<SpendingBudget> SpendingBudget::forCap(double capUsd) {
    return capUsd > 0 ? std::make_shared<SpendingBudget>(capUsd) : nullptr;
}

bool SpendingBudget::reserve(double worstUsd) {
    std::lock_guard lock(m_mutex);
    if (m_spent + m_reserved + worstUsd > m_cap) {
        m_reached = true;
        return false;
    }
    m_reserved += worstUsd;
    return true;
}

void SpendingBudget::settle(double reservedUsd, double actualUsd) {
    std::lock_guard lock(m_mutex);
    m_reserved = std::max(0.0, m_reserved - reservedUsd);
    m_spent += actualUsd;
}

double SpendingBudget::spent() const {
    std::lock_guard lock(m_mutex);
    return m_spent;
}

bool SpendingBudget::reached() const {
    std::lock_guard lock(m_mutex);
    return m_reached;
}

} // namespace rs::llm
