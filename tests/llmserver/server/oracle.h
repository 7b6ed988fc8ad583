#pragma once

#include "chatrequest.h"

#include <QList>
#include <QString>

#include <cstdint>

namespace rs::llmserver {

enum class Role { Chat, Proposer, Judge, Pairwise, Rewrite };

/// The deterministic "model": picks a role from the request and computes the assistant text by
/// the rules in README.md. Pure: the same request always gets the same answer.
class Oracle final {
public:
    struct Answer {
        Role role = Role::Chat;
        QString text;
    };
    /// How a profile perturbs the rules; the defaults give the rules exactly.
    struct Sampling {
        bool obeyInjections = false;  // --obey-injections (see InjectionFence)
        double flipProbability = 0.0; // each judge verdict (and pairwise winner) flips with it
        std::uint64_t key = 0;        // the sample identity: which verdicts flip
    };
    struct JudgeVerdict {
        QString id;
        bool met = false;
        QString explanation;
    };

    /// "[role:NAME]" in the system prompt wins, then the model name, else Chat.
    static Role detectRole(const ChatRequest &request);
    static QString roleName(Role role);
    static Answer answer(const ChatRequest &request);
    static Answer answer(const ChatRequest &request, const Sampling &sampling);
    /// Whether a judge request asks for one holistic score ("[mode:holistic]" in the system
    /// prompt) rather than verdicts.
    static bool isHolistic(const ChatRequest &request);
    /// The judge's verdicts, one per criterion of the CRITERIA block, in its order.
    static QList<JudgeVerdict> judgeVerdicts(const ChatRequest &request, const Sampling &sampling);

    /// The "fenced" fault: the answer inside a json code fence with chatter around it.
    static QString fenced(const QString &answer);

private:
    static QString proposer(const ChatRequest &request);
    static QString judge(const ChatRequest &request, const Sampling &sampling);
    static QString holistic(const ChatRequest &request);
    static QString pairwise(const ChatRequest &request, const Sampling &sampling);
    static QString chat(const ChatRequest &request);
};

} // namespace rs::llmserver
