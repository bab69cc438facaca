"""Analytics: reports built from scores and outcomes (backtest metrics, lift, reach), read side only."""
