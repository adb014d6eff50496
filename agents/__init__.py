"""Engineers and what drives them: pay rules, the ledger, and small replaceable decision behaviours."""
