#pragma once

#include "chatrequest.h"

#include <QString>

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

    /// "[role:NAME]" in the system prompt wins, then the model name, else Chat.
    static Role detectRole(const ChatRequest &request);
    static QString roleName(Role role);
    static Answer answer(const ChatRequest &request);

    /// The "fenced" fault: the answer inside a json code fence with chatter around it.
    static QString fenced(const QString &answer);

private:
    static QString proposer(const ChatRequest &request);
    static QString judge(const ChatRequest &request);
    static QString pairwise(const ChatRequest &request);
    static QString chat(const ChatRequest &request);
};

} // namespace rs::llmserver
