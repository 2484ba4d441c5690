"""A resident's messages as casework sees them: logged on arrival, answers to open questions, what is said back.

- `inbound`: the inbound message log (record first, answer once, lose nothing; a late answer through the outbox);
- `questions`: whether a message answers what we last asked the sender, and which room takes the answer;
- `state`: what an SMS resident's next short reply refers to (the numbered choices, the parts after MORE);
- `said`: what the service says back, as response names and values that each channel renders.

The tables are casework.models' (InboundMessage, SmsConversationState). What a message means for a
case is casework.cases.triage; the safety screen is casework.safety.
"""
