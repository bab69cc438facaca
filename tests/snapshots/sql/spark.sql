WITH person AS (
  SELECT
    person_id,
    account_domain,
    account_name,
    consent,
    country,
    employees,
    industry,
    revenue_band,
    role,
    tier,
    title
  FROM people_flat
), event_src AS (
  SELECT
    person_id,
    event_id,
    type,
    CAST(ts AS DOUBLE) AS ts,
    PARSE_JSON(properties) AS properties
  FROM events_flat
  WHERE
    ts <= CAST(1793000000.0 AS DOUBLE)
), ev AS (
  SELECT
    e.person_id,
    e.event_id,
    e.type,
    e.ts,
    CASE
      WHEN SCHEMA_OF_VARIANT(VARIANT_GET(properties, '$.path')) = 'STRING'
      THEN VARIANT_GET(properties, '$.path', 'string')
    END AS ep_path_text,
    CASE
      WHEN SCHEMA_OF_VARIANT(VARIANT_GET(properties, '$.stage')) = 'STRING'
      THEN VARIANT_GET(properties, '$.stage', 'string')
    END AS ep_stage_text,
    CASE
      WHEN SCHEMA_OF_VARIANT(VARIANT_GET(properties, '$.form')) = 'STRING'
      THEN VARIANT_GET(properties, '$.form', 'string')
    END AS ep_form_text,
    CASE
      WHEN SCHEMA_OF_VARIANT(VARIANT_GET(properties, '$.kind')) = 'STRING'
      THEN VARIANT_GET(properties, '$.kind', 'string')
    END AS ep_kind_text,
    CASE
      WHEN SCHEMA_OF_VARIANT(VARIANT_GET(properties, '$.service')) = 'STRING'
      THEN VARIANT_GET(properties, '$.service', 'string')
    END AS ep_service_text,
    CASE
      WHEN SCHEMA_OF_VARIANT(VARIANT_GET(properties, '$.service')) IN ('TINYINT', 'SMALLINT', 'INT', 'BIGINT', 'FLOAT', 'DOUBLE')
      OR SCHEMA_OF_VARIANT(VARIANT_GET(properties, '$.service')) LIKE 'DECIMAL(%'
      THEN VARIANT_GET(properties, '$.service', 'double')
    END AS ep_service_number,
    CASE
      WHEN SCHEMA_OF_VARIANT(VARIANT_GET(properties, '$.value')) IN ('TINYINT', 'SMALLINT', 'INT', 'BIGINT', 'FLOAT', 'DOUBLE')
      OR SCHEMA_OF_VARIANT(VARIANT_GET(properties, '$.value')) LIKE 'DECIMAL(%'
      THEN VARIANT_GET(properties, '$.value', 'double')
    END AS ep_value_number,
    CASE
      WHEN SCHEMA_OF_VARIANT(VARIANT_GET(properties, '$.metric')) = 'STRING'
      THEN VARIANT_GET(properties, '$.metric', 'string')
    END AS ep_metric_text,
    CASE
      WHEN SCHEMA_OF_VARIANT(VARIANT_GET(properties, '$.stage')) LIKE 'ARRAY<%'
      THEN EXISTS(
        CAST(VARIANT_GET(properties, '$.stage') AS ARRAY<VARIANT>),
        el -> SCHEMA_OF_VARIANT(el) = 'STRING'
        AND VARIANT_GET(el, '$', 'string') = 'early_interest'
      )
      ELSE FALSE
    END AS ep_stage_has_early_interest,
    CASE
      WHEN SCHEMA_OF_VARIANT(VARIANT_GET(properties, '$.stage')) LIKE 'ARRAY<%'
      THEN EXISTS(
        CAST(VARIANT_GET(properties, '$.stage') AS ARRAY<VARIANT>),
        el -> SCHEMA_OF_VARIANT(el) = 'STRING'
        AND VARIANT_GET(el, '$', 'string') = 'need_recognised'
      )
      ELSE FALSE
    END AS ep_stage_has_need_recognised,
    CASE
      WHEN SCHEMA_OF_VARIANT(VARIANT_GET(properties, '$.stage')) LIKE 'ARRAY<%'
      THEN EXISTS(
        CAST(VARIANT_GET(properties, '$.stage') AS ARRAY<VARIANT>),
        el -> SCHEMA_OF_VARIANT(el) = 'STRING'
        AND VARIANT_GET(el, '$', 'string') = 'comparing_solutions'
      )
      ELSE FALSE
    END AS ep_stage_has_comparing_solutions,
    CASE
      WHEN SCHEMA_OF_VARIANT(VARIANT_GET(properties, '$.stage')) LIKE 'ARRAY<%'
      THEN EXISTS(
        CAST(VARIANT_GET(properties, '$.stage') AS ARRAY<VARIANT>),
        el -> SCHEMA_OF_VARIANT(el) = 'STRING' AND VARIANT_GET(el, '$', 'string') = 'deciding'
      )
      ELSE FALSE
    END AS ep_stage_has_deciding
  FROM event_src AS e
), eng_service_page_visit AS (
  SELECT
    person_id,
    event_id,
    ts,
    CAST(2.0 AS DOUBLE) AS amount
  FROM ev
  WHERE
    type IN ('page_view') AND SUBSTRING(ep_path_text, 1, 10) = '/palvelut/'
), eng_service_page_visit_cap1 AS (
  SELECT
    person_id,
    event_id,
    ts,
    LEAST(
      amount,
      GREATEST(
        CAST(0.0 AS DOUBLE),
        CAST(20.0 AS DOUBLE) - COALESCE(
          SUM(amount) OVER (
            PARTITION BY person_id, FLOOR(ts / 2592000)
            ORDER BY ts DESC, event_id DESC
            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
          ),
          CAST(0.0 AS DOUBLE)
        )
      )
    ) AS amount
  FROM eng_service_page_visit
), eng_customer_references AS (
  SELECT
    person_id,
    event_id,
    ts,
    CAST(6.0 AS DOUBLE) AS amount
  FROM ev
  WHERE
    type IN ('page_view') AND ep_path_text RLIKE '(?iU)^/palvelut/[^/]+/referenssit'
), eng_customer_references_cap1 AS (
  SELECT
    person_id,
    event_id,
    ts,
    LEAST(
      amount,
      GREATEST(
        CAST(0.0 AS DOUBLE),
        CAST(30.0 AS DOUBLE) - COALESCE(
          SUM(amount) OVER (
            PARTITION BY person_id, FLOOR(ts / 2592000)
            ORDER BY ts DESC, event_id DESC
            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
          ),
          CAST(0.0 AS DOUBLE)
        )
      )
    ) AS amount
  FROM eng_customer_references
), eng_customer_references_cap2 AS (
  SELECT
    person_id,
    event_id,
    ts,
    LEAST(
      amount,
      GREATEST(
        CAST(0.0 AS DOUBLE),
        CAST(90.0 AS DOUBLE) - COALESCE(
          SUM(amount) OVER (
            PARTITION BY person_id
            ORDER BY ts DESC, event_id DESC
            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
          ),
          CAST(0.0 AS DOUBLE)
        )
      )
    ) AS amount
  FROM eng_customer_references_cap1
), eng_pricing_page AS (
  SELECT
    person_id,
    event_id,
    ts,
    CAST(8.0 AS DOUBLE) AS amount
  FROM ev
  WHERE
    type IN ('page_view') AND ep_path_text RLIKE '(?iU)^/palvelut/[^/]+/hinnoittelu'
), eng_pricing_page_cap1 AS (
  SELECT
    person_id,
    event_id,
    ts,
    LEAST(
      amount,
      GREATEST(
        CAST(0.0 AS DOUBLE),
        CAST(40.0 AS DOUBLE) - COALESCE(
          SUM(amount) OVER (
            PARTITION BY person_id, FLOOR(ts / 2592000)
            ORDER BY ts DESC, event_id DESC
            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
          ),
          CAST(0.0 AS DOUBLE)
        )
      )
    ) AS amount
  FROM eng_pricing_page
), eng_pricing_page_cap2 AS (
  SELECT
    person_id,
    event_id,
    ts,
    LEAST(
      amount,
      GREATEST(
        CAST(0.0 AS DOUBLE),
        CAST(120.0 AS DOUBLE) - COALESCE(
          SUM(amount) OVER (
            PARTITION BY person_id
            ORDER BY ts DESC, event_id DESC
            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
          ),
          CAST(0.0 AS DOUBLE)
        )
      )
    ) AS amount
  FROM eng_pricing_page_cap1
), eng_blog_read AS (
  SELECT
    person_id,
    event_id,
    ts,
    CAST(0.5 AS DOUBLE) AS amount
  FROM ev
  WHERE
    type IN ('page_view') AND SUBSTRING(ep_path_text, 1, 7) = '/blogi/'
), eng_blog_read_cap1 AS (
  SELECT
    person_id,
    event_id,
    ts,
    LEAST(
      amount,
      GREATEST(
        CAST(0.0 AS DOUBLE),
        CAST(5.0 AS DOUBLE) - COALESCE(
          SUM(amount) OVER (
            PARTITION BY person_id, FLOOR(ts / 2592000)
            ORDER BY ts DESC, event_id DESC
            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
          ),
          CAST(0.0 AS DOUBLE)
        )
      )
    ) AS amount
  FROM eng_blog_read
), eng_comparison_article AS (
  SELECT
    person_id,
    event_id,
    ts,
    CAST(2.0 AS DOUBLE) AS amount
  FROM ev
  WHERE
    type IN ('page_view')
    AND SUBSTRING(ep_path_text, 1, 7) = '/blogi/'
    AND ep_stage_text = 'comparing_solutions'
), eng_comparison_article_cap1 AS (
  SELECT
    person_id,
    event_id,
    ts,
    LEAST(
      amount,
      GREATEST(
        CAST(0.0 AS DOUBLE),
        CAST(10.0 AS DOUBLE) - COALESCE(
          SUM(amount) OVER (
            PARTITION BY person_id, FLOOR(ts / 2592000)
            ORDER BY ts DESC, event_id DESC
            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
          ),
          CAST(0.0 AS DOUBLE)
        )
      )
    ) AS amount
  FROM eng_comparison_article
), eng_guide_download AS (
  SELECT
    person_id,
    event_id,
    ts,
    CAST(4.0 AS DOUBLE) AS amount
  FROM ev
  WHERE
    type IN ('download')
), eng_guide_download_cap1 AS (
  SELECT
    person_id,
    event_id,
    ts,
    LEAST(
      amount,
      GREATEST(
        CAST(0.0 AS DOUBLE),
        CAST(12.0 AS DOUBLE) - COALESCE(
          SUM(amount) OVER (
            PARTITION BY person_id, FLOOR(ts / 2592000)
            ORDER BY ts DESC, event_id DESC
            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
          ),
          CAST(0.0 AS DOUBLE)
        )
      )
    ) AS amount
  FROM eng_guide_download
), eng_buyer_s_guide_download AS (
  SELECT
    person_id,
    event_id,
    ts,
    CAST(6.0 AS DOUBLE) AS amount
  FROM ev
  WHERE
    type IN ('download') AND ep_stage_text IN ('comparing_solutions', 'deciding')
), eng_price_sheet_download AS (
  SELECT
    person_id,
    event_id,
    ts,
    CAST(20.0 AS DOUBLE) AS amount
  FROM ev
  WHERE
    type IN ('download') AND ep_stage_text = 'deciding'
), eng_cost_calculator AS (
  SELECT
    person_id,
    event_id,
    ts,
    CAST(20.0 AS DOUBLE) AS amount
  FROM ev
  WHERE
    type IN ('form_submit') AND ep_form_text = 'kustannuslaskuri'
), eng_chat_conversation AS (
  SELECT
    person_id,
    event_id,
    ts,
    CAST(15.0 AS DOUBLE) AS amount
  FROM ev
  WHERE
    type IN ('chat')
), eng_webinar_registration AS (
  SELECT
    person_id,
    event_id,
    ts,
    CAST(3.0 AS DOUBLE) AS amount
  FROM ev
  WHERE
    type IN ('event_registration')
), eng_webinar_attended AS (
  SELECT
    person_id,
    event_id,
    ts,
    CAST(5.0 AS DOUBLE) AS amount
  FROM ev
  WHERE
    type IN ('event_attended')
), eng_newsletter_signup AS (
  SELECT
    person_id,
    event_id,
    ts,
    CAST(2.0 AS DOUBLE) AS amount
  FROM ev
  WHERE
    type IN ('newsletter_signup')
), eng_newsletter_signup_cap1 AS (
  SELECT
    person_id,
    event_id,
    ts,
    LEAST(
      amount,
      GREATEST(
        CAST(0.0 AS DOUBLE),
        CAST(2.0 AS DOUBLE) - COALESCE(
          SUM(amount) OVER (
            PARTITION BY person_id
            ORDER BY ts DESC, event_id DESC
            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
          ),
          CAST(0.0 AS DOUBLE)
        )
      )
    ) AS amount
  FROM eng_newsletter_signup
), eng_e_mail_click AS (
  SELECT
    person_id,
    event_id,
    ts,
    CAST(2.0 AS DOUBLE) AS amount
  FROM ev
  WHERE
    type IN ('email_click')
), eng_e_mail_click_cap1 AS (
  SELECT
    person_id,
    event_id,
    ts,
    LEAST(
      amount,
      GREATEST(
        CAST(0.0 AS DOUBLE),
        CAST(10.0 AS DOUBLE) - COALESCE(
          SUM(amount) OVER (
            PARTITION BY person_id, FLOOR(ts / 2592000)
            ORDER BY ts DESC, event_id DESC
            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
          ),
          CAST(0.0 AS DOUBLE)
        )
      )
    ) AS amount
  FROM eng_e_mail_click
), eng_ad_click AS (
  SELECT
    person_id,
    event_id,
    ts,
    CAST(2.0 AS DOUBLE) AS amount
  FROM ev
  WHERE
    type IN ('ad_click')
), eng_ad_click_cap1 AS (
  SELECT
    person_id,
    event_id,
    ts,
    LEAST(
      amount,
      GREATEST(
        CAST(0.0 AS DOUBLE),
        CAST(10.0 AS DOUBLE) - COALESCE(
          SUM(amount) OVER (
            PARTITION BY person_id, FLOOR(ts / 2592000)
            ORDER BY ts DESC, event_id DESC
            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
          ),
          CAST(0.0 AS DOUBLE)
        )
      )
    ) AS amount
  FROM eng_ad_click
), eng_e_mail_open AS (
  SELECT
    person_id,
    event_id,
    ts,
    CAST(0.5 AS DOUBLE) AS amount
  FROM ev
  WHERE
    type IN ('email_open')
), eng_e_mail_open_cap1 AS (
  SELECT
    person_id,
    event_id,
    ts,
    LEAST(
      amount,
      GREATEST(
        CAST(0.0 AS DOUBLE),
        CAST(2.0 AS DOUBLE) - COALESCE(
          SUM(amount) OVER (
            PARTITION BY person_id, FLOOR(ts / 604800)
            ORDER BY ts DESC, event_id DESC
            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
          ),
          CAST(0.0 AS DOUBLE)
        )
      )
    ) AS amount
  FROM eng_e_mail_open
), eng_e_mail_open_cap2 AS (
  SELECT
    person_id,
    event_id,
    ts,
    LEAST(
      amount,
      GREATEST(
        CAST(0.0 AS DOUBLE),
        CAST(6.0 AS DOUBLE) - COALESCE(
          SUM(amount) OVER (
            PARTITION BY person_id
            ORDER BY ts DESC, event_id DESC
            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
          ),
          CAST(0.0 AS DOUBLE)
        )
      )
    ) AS amount
  FROM eng_e_mail_open_cap1
), eng_trial_sign_up AS (
  SELECT
    person_id,
    event_id,
    ts,
    CAST(10.0 AS DOUBLE) AS amount
  FROM ev
  WHERE
    type IN ('trial_signup')
), eng_meeting_held AS (
  SELECT
    person_id,
    event_id,
    ts,
    CAST(20.0 AS DOUBLE) AS amount
  FROM ev
  WHERE
    type IN ('sales_touch') AND ep_kind_text = 'meeting'
), eng_careers_page AS (
  SELECT
    person_id,
    event_id,
    ts,
    CAST(10.0 AS DOUBLE) AS amount
  FROM ev
  WHERE
    type IN ('page_view') AND SUBSTRING(ep_path_text, 1, 7) = '/rekry/'
), eng_careers_page_cap1 AS (
  SELECT
    person_id,
    event_id,
    ts,
    LEAST(
      amount,
      GREATEST(
        CAST(0.0 AS DOUBLE),
        CAST(30.0 AS DOUBLE) - COALESCE(
          SUM(amount) OVER (
            PARTITION BY person_id
            ORDER BY ts DESC, event_id DESC
            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
          ),
          CAST(0.0 AS DOUBLE)
        )
      )
    ) AS amount
  FROM eng_careers_page
), eng_unsubscribed AS (
  SELECT
    person_id,
    event_id,
    ts,
    CAST(20.0 AS DOUBLE) AS amount
  FROM ev
  WHERE
    type IN ('unsubscribe')
), eng_e_mail_bounced AS (
  SELECT
    person_id,
    event_id,
    ts,
    CAST(15.0 AS DOUBLE) AS amount
  FROM ev
  WHERE
    type IN ('email_bounce')
), grp_website AS (
  SELECT
    person_id,
    event_id,
    ts,
    0 AS rule_rank,
    amount
  FROM eng_blog_read_cap1
  UNION ALL
  SELECT
    person_id,
    event_id,
    ts,
    1 AS rule_rank,
    amount
  FROM eng_customer_references_cap2
  UNION ALL
  SELECT
    person_id,
    event_id,
    ts,
    2 AS rule_rank,
    amount
  FROM eng_pricing_page_cap2
  UNION ALL
  SELECT
    person_id,
    event_id,
    ts,
    3 AS rule_rank,
    amount
  FROM eng_service_page_visit_cap1
), grp_website_cap1 AS (
  SELECT
    person_id,
    event_id,
    ts,
    rule_rank,
    LEAST(
      amount,
      GREATEST(
        CAST(0.0 AS DOUBLE),
        CAST(60.0 AS DOUBLE) - COALESCE(
          SUM(amount) OVER (
            PARTITION BY person_id, FLOOR(ts / 2592000)
            ORDER BY ts DESC, event_id DESC, rule_rank DESC
            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
          ),
          CAST(0.0 AS DOUBLE)
        )
      )
    ) AS amount
  FROM grp_website
), sig_cloud_binge_hits AS (
  SELECT
    person_id,
    ts,
    1 AS clause,
    CAST(1.0 AS DOUBLE) AS amount
  FROM ev
  WHERE
    type IN ('page_view') AND SUBSTRING(ep_path_text, 1, 16) = '/palvelut/pilvi/'
  UNION ALL
  SELECT
    person_id,
    ts,
    2 AS clause,
    CAST(1.0 AS DOUBLE) AS amount
  FROM ev
  WHERE
    type IN ('email_click', 'ad_click')
), sig_cloud_binge_windows AS (
  SELECT
    person_id,
    ts,
    SUM(CASE WHEN clause = 1 THEN amount ELSE CAST(0.0 AS DOUBLE) END) OVER (PARTITION BY person_id ORDER BY ts RANGE BETWEEN 604800 PRECEDING AND CURRENT ROW) AS total_1,
    SUM(CASE WHEN clause = 2 THEN amount ELSE CAST(0.0 AS DOUBLE) END) OVER (PARTITION BY person_id ORDER BY ts RANGE BETWEEN 604800 PRECEDING AND CURRENT ROW) AS total_2
  FROM sig_cloud_binge_hits
), sig_cloud_binge_fired AS (
  SELECT
    w.person_id,
    MAX(w.ts) AS fired_at
  FROM sig_cloud_binge_windows AS w
  WHERE
    w.total_1 >= 3.0 AND w.total_2 >= 2.0
  GROUP BY
    w.person_id
), sig_cloud_binge AS (
  SELECT
    person_id,
    fired_at,
    CAST(CAST(1793000000.0 AS DOUBLE) - fired_at AS DOUBLE) <= 2592000 AS active,
    CASE
      WHEN CAST(CAST(1793000000.0 AS DOUBLE) - fired_at AS DOUBLE) <= 2592000
      THEN CAST(20.0 AS DOUBLE)
      ELSE CAST(0.0 AS DOUBLE)
    END AS points
  FROM sig_cloud_binge_fired
), sig_service_binge_hits AS (
  SELECT
    person_id,
    ts,
    1 AS clause,
    CAST(1.0 AS DOUBLE) AS amount,
    ep_service_text AS same_text,
    ep_service_number AS same_number
  FROM ev
  WHERE
    type IN ('page_view')
    AND SUBSTRING(ep_path_text, 1, 10) = '/palvelut/'
    AND (
      ep_service_text <> '' OR NOT ep_service_number IS NULL
    )
  UNION ALL
  SELECT
    person_id,
    ts,
    2 AS clause,
    CAST(1.0 AS DOUBLE) AS amount,
    CAST(NULL AS STRING) AS same_text,
    CAST(NULL AS DOUBLE) AS same_number
  FROM ev
  WHERE
    type IN ('email_click', 'ad_click')
), sig_service_binge_windows AS (
  SELECT
    person_id,
    ts,
    SUM(CASE WHEN clause = 2 THEN amount ELSE CAST(0.0 AS DOUBLE) END) OVER (PARTITION BY person_id ORDER BY ts RANGE BETWEEN 604800 PRECEDING AND CURRENT ROW) AS total_2
  FROM sig_service_binge_hits
), sig_service_binge_same1 AS (
  SELECT
    person_id,
    ts,
    MAX(total) AS total
  FROM (
    SELECT
      c.person_id,
      c.ts,
      SUM(h.amount) AS total
    FROM (
      SELECT DISTINCT
        person_id,
        ts
      FROM sig_service_binge_hits
    ) AS c
    JOIN sig_service_binge_hits AS h
      ON h.person_id = c.person_id
      AND h.clause = 1
      AND h.ts >= c.ts - 604800
      AND h.ts <= c.ts
    GROUP BY
      c.person_id,
      c.ts,
      h.same_text,
      h.same_number
  ) AS v
  GROUP BY
    person_id,
    ts
), sig_service_binge_fired AS (
  SELECT
    w.person_id,
    MAX(w.ts) AS fired_at
  FROM sig_service_binge_windows AS w
  LEFT JOIN sig_service_binge_same1 AS s1
    ON s1.person_id = w.person_id AND s1.ts = w.ts
  WHERE
    COALESCE(s1.total, CAST(0.0 AS DOUBLE)) >= 3.0 AND w.total_2 >= 2.0
  GROUP BY
    w.person_id
), sig_service_binge AS (
  SELECT
    person_id,
    fired_at,
    CAST(CAST(1793000000.0 AS DOUBLE) - fired_at AS DOUBLE) <= 1814400 AS active,
    CASE
      WHEN CAST(CAST(1793000000.0 AS DOUBLE) - fired_at AS DOUBLE) <= 1814400
      THEN CAST(15.0 AS DOUBLE) * POWER(
        CAST(0.5 AS DOUBLE),
        CAST(CAST(1793000000.0 AS DOUBLE) - fired_at AS DOUBLE) / CAST(86400.0 AS DOUBLE) / CAST(14.0 AS DOUBLE)
      )
      ELSE CAST(0.0 AS DOUBLE)
    END AS points
  FROM sig_service_binge_fired
), sig_vendor_comparison_hits AS (
  SELECT
    person_id,
    ts,
    1 AS clause,
    CAST(1.0 AS DOUBLE) AS amount,
    ep_service_text AS same_text,
    ep_service_number AS same_number
  FROM ev
  WHERE
    type IN ('page_view')
    AND ep_path_text RLIKE '(?iU)^/palvelut/[^/]+/referenssit'
    AND (
      ep_service_text <> '' OR NOT ep_service_number IS NULL
    )
  UNION ALL
  SELECT
    person_id,
    ts,
    2 AS clause,
    CAST(1.0 AS DOUBLE) AS amount,
    ep_service_text AS same_text,
    ep_service_number AS same_number
  FROM ev
  WHERE
    type IN ('page_view')
    AND ep_path_text RLIKE '(?iU)^/palvelut/[^/]+/hinnoittelu'
    AND (
      ep_service_text <> '' OR NOT ep_service_number IS NULL
    )
), sig_vendor_comparison_windows AS (
  SELECT
    person_id,
    ts
  FROM sig_vendor_comparison_hits
), sig_vendor_comparison_same1 AS (
  SELECT
    person_id,
    ts,
    MAX(total) AS total
  FROM (
    SELECT
      c.person_id,
      c.ts,
      SUM(h.amount) AS total
    FROM (
      SELECT DISTINCT
        person_id,
        ts
      FROM sig_vendor_comparison_hits
    ) AS c
    JOIN sig_vendor_comparison_hits AS h
      ON h.person_id = c.person_id
      AND h.clause = 1
      AND h.ts >= c.ts - 1814400
      AND h.ts <= c.ts
    GROUP BY
      c.person_id,
      c.ts,
      h.same_text,
      h.same_number
  ) AS v
  GROUP BY
    person_id,
    ts
), sig_vendor_comparison_same2 AS (
  SELECT
    person_id,
    ts,
    MAX(total) AS total
  FROM (
    SELECT
      c.person_id,
      c.ts,
      SUM(h.amount) AS total
    FROM (
      SELECT DISTINCT
        person_id,
        ts
      FROM sig_vendor_comparison_hits
    ) AS c
    JOIN sig_vendor_comparison_hits AS h
      ON h.person_id = c.person_id
      AND h.clause = 2
      AND h.ts >= c.ts - 1814400
      AND h.ts <= c.ts
    GROUP BY
      c.person_id,
      c.ts,
      h.same_text,
      h.same_number
  ) AS v
  GROUP BY
    person_id,
    ts
), sig_vendor_comparison_fired AS (
  SELECT
    w.person_id,
    MAX(w.ts) AS fired_at
  FROM sig_vendor_comparison_windows AS w
  LEFT JOIN sig_vendor_comparison_same1 AS s1
    ON s1.person_id = w.person_id AND s1.ts = w.ts
  LEFT JOIN sig_vendor_comparison_same2 AS s2
    ON s2.person_id = w.person_id AND s2.ts = w.ts
  WHERE
    COALESCE(s1.total, CAST(0.0 AS DOUBLE)) >= 2.0
    AND COALESCE(s2.total, CAST(0.0 AS DOUBLE)) >= 2.0
  GROUP BY
    w.person_id
), sig_vendor_comparison AS (
  SELECT
    person_id,
    fired_at,
    CAST(CAST(1793000000.0 AS DOUBLE) - fired_at AS DOUBLE) <= 5184000 AS active,
    CASE
      WHEN CAST(CAST(1793000000.0 AS DOUBLE) - fired_at AS DOUBLE) <= 5184000
      THEN CAST(20.0 AS DOUBLE) * POWER(
        CAST(0.5 AS DOUBLE),
        CAST(CAST(1793000000.0 AS DOUBLE) - fired_at AS DOUBLE) / CAST(86400.0 AS DOUBLE) / CAST(30.0 AS DOUBLE)
      )
      ELSE CAST(0.0 AS DOUBLE)
    END AS points
  FROM sig_vendor_comparison_fired
), prod_active_trial_team_hits AS (
  SELECT
    person_id,
    ts,
    1 AS clause,
    COALESCE(ep_value_number, CAST(0.0 AS DOUBLE)) AS amount
  FROM ev
  WHERE
    type IN ('product_usage') AND ep_metric_text = 'messages_sent'
), prod_active_trial_team_windows AS (
  SELECT
    person_id,
    ts,
    SUM(CASE WHEN clause = 1 THEN amount ELSE CAST(0.0 AS DOUBLE) END) OVER (PARTITION BY person_id ORDER BY ts RANGE BETWEEN 1209600 PRECEDING AND CURRENT ROW) AS total_1
  FROM prod_active_trial_team_hits
), prod_active_trial_team_fired AS (
  SELECT
    w.person_id,
    MAX(w.ts) AS fired_at
  FROM prod_active_trial_team_windows AS w
  WHERE
    w.total_1 >= 300.0
  GROUP BY
    w.person_id
), prod_active_trial_team AS (
  SELECT
    person_id,
    fired_at,
    CAST(CAST(1793000000.0 AS DOUBLE) - fired_at AS DOUBLE) <= 5184000 AS active,
    CASE
      WHEN CAST(CAST(1793000000.0 AS DOUBLE) - fired_at AS DOUBLE) <= 5184000
      THEN CAST(25.0 AS DOUBLE) * POWER(
        CAST(0.5 AS DOUBLE),
        CAST(CAST(1793000000.0 AS DOUBLE) - fired_at AS DOUBLE) / CAST(86400.0 AS DOUBLE) / CAST(30.0 AS DOUBLE)
      )
      ELSE CAST(0.0 AS DOUBLE)
    END AS points
  FROM prod_active_trial_team_fired
), hand_raisers AS (
  SELECT DISTINCT
    person_id
  FROM ev
  WHERE
    (
      type IN ('contact_request')
    )
    OR (
      type IN ('demo_request')
    )
    OR (
      type IN ('order')
    )
), stage_evidence AS (
  SELECT
    person_id,
    ts,
    0 AS stage_rank,
    CASE
      WHEN ep_stage_text = 'early_interest' OR ep_stage_has_early_interest
      THEN 1
      ELSE 0
    END + CASE WHEN FALSE THEN 2 ELSE 0 END AS weight
  FROM ev
  WHERE
    ts >= 1785224000.0
    AND (
      ep_stage_text = 'early_interest' OR ep_stage_has_early_interest OR FALSE
    )
  UNION ALL
  SELECT
    person_id,
    ts,
    1 AS stage_rank,
    CASE
      WHEN ep_stage_text = 'need_recognised' OR ep_stage_has_need_recognised
      THEN 1
      ELSE 0
    END + CASE WHEN FALSE THEN 2 ELSE 0 END AS weight
  FROM ev
  WHERE
    ts >= 1785224000.0
    AND (
      ep_stage_text = 'need_recognised' OR ep_stage_has_need_recognised OR FALSE
    )
  UNION ALL
  SELECT
    person_id,
    ts,
    2 AS stage_rank,
    CASE
      WHEN ep_stage_text = 'comparing_solutions' OR ep_stage_has_comparing_solutions
      THEN 1
      ELSE 0
    END + CASE WHEN type IN ('contact_request') THEN 2 ELSE 0 END AS weight
  FROM ev
  WHERE
    ts >= 1785224000.0
    AND (
      ep_stage_text = 'comparing_solutions'
      OR ep_stage_has_comparing_solutions
      OR type IN ('contact_request')
    )
  UNION ALL
  SELECT
    person_id,
    ts,
    3 AS stage_rank,
    CASE WHEN ep_stage_text = 'deciding' OR ep_stage_has_deciding THEN 1 ELSE 0 END + CASE WHEN type IN ('demo_request', 'order') THEN 2 ELSE 0 END AS weight
  FROM ev
  WHERE
    ts >= 1785224000.0
    AND (
      ep_stage_text = 'deciding'
      OR ep_stage_has_deciding
      OR type IN ('demo_request', 'order')
    )
), stage AS (
  SELECT
    person_id,
    stage_rank
  FROM (
    SELECT
      person_id,
      stage_rank,
      ROW_NUMBER() OVER (PARTITION BY person_id ORDER BY MAX(ts) DESC, stage_rank DESC) AS pick
    FROM stage_evidence
    GROUP BY
      person_id,
      stage_rank
    HAVING
      SUM(weight) >= 2
  ) AS s
  WHERE
    pick = 1
), points AS (
  SELECT
    person_id,
    SUM(
      amount * POWER(
        CAST(0.5 AS DOUBLE),
        CAST(CAST(1793000000.0 AS DOUBLE) - ts AS DOUBLE) / CAST(86400.0 AS DOUBLE) / CAST(21.0 AS DOUBLE)
      )
    ) AS points
  FROM grp_website_cap1
  WHERE
    rule_rank = 3
  GROUP BY
    person_id
  UNION ALL
  SELECT
    person_id,
    SUM(
      amount * CASE
        WHEN CAST(CAST(1793000000.0 AS DOUBLE) - ts AS DOUBLE) / CAST(86400.0 AS DOUBLE) >= CAST(180.0 AS DOUBLE)
        THEN CAST(0.4 AS DOUBLE)
        WHEN CAST(CAST(1793000000.0 AS DOUBLE) - ts AS DOUBLE) / CAST(86400.0 AS DOUBLE) >= CAST(60.0 AS DOUBLE)
        THEN CAST(0.6 AS DOUBLE)
        ELSE CAST(1.0 AS DOUBLE)
      END
    ) AS points
  FROM grp_website_cap1
  WHERE
    rule_rank = 1
  GROUP BY
    person_id
  UNION ALL
  SELECT
    person_id,
    SUM(
      amount * CASE
        WHEN CAST(CAST(1793000000.0 AS DOUBLE) - ts AS DOUBLE) / CAST(86400.0 AS DOUBLE) >= CAST(180.0 AS DOUBLE)
        THEN CAST(0.4 AS DOUBLE)
        WHEN CAST(CAST(1793000000.0 AS DOUBLE) - ts AS DOUBLE) / CAST(86400.0 AS DOUBLE) >= CAST(60.0 AS DOUBLE)
        THEN CAST(0.6 AS DOUBLE)
        ELSE CAST(1.0 AS DOUBLE)
      END
    ) AS points
  FROM grp_website_cap1
  WHERE
    rule_rank = 2
  GROUP BY
    person_id
  UNION ALL
  SELECT
    person_id,
    SUM(
      amount * POWER(
        CAST(0.5 AS DOUBLE),
        CAST(CAST(1793000000.0 AS DOUBLE) - ts AS DOUBLE) / CAST(86400.0 AS DOUBLE) / CAST(14.0 AS DOUBLE)
      )
    ) AS points
  FROM grp_website_cap1
  WHERE
    rule_rank = 0
  GROUP BY
    person_id
  UNION ALL
  SELECT
    person_id,
    SUM(
      amount * POWER(
        CAST(0.5 AS DOUBLE),
        CAST(CAST(1793000000.0 AS DOUBLE) - ts AS DOUBLE) / CAST(86400.0 AS DOUBLE) / CAST(30.0 AS DOUBLE)
      )
    ) AS points
  FROM eng_comparison_article_cap1
  GROUP BY
    person_id
  UNION ALL
  SELECT
    person_id,
    SUM(
      amount * GREATEST(
        CAST(0.0 AS DOUBLE),
        CAST(1.0 AS DOUBLE) - CAST(CAST(1793000000.0 AS DOUBLE) - ts AS DOUBLE) / CAST(86400.0 AS DOUBLE) / CAST(90.0 AS DOUBLE)
      )
    ) AS points
  FROM eng_guide_download_cap1
  GROUP BY
    person_id
  UNION ALL
  SELECT
    person_id,
    SUM(
      amount * GREATEST(
        CAST(0.0 AS DOUBLE),
        CAST(1.0 AS DOUBLE) - CAST(CAST(1793000000.0 AS DOUBLE) - ts AS DOUBLE) / CAST(86400.0 AS DOUBLE) / CAST(120.0 AS DOUBLE)
      )
    ) AS points
  FROM eng_buyer_s_guide_download
  GROUP BY
    person_id
  UNION ALL
  SELECT
    person_id,
    SUM(
      amount * POWER(
        CAST(0.5 AS DOUBLE),
        CAST(CAST(1793000000.0 AS DOUBLE) - ts AS DOUBLE) / CAST(86400.0 AS DOUBLE) / CAST(60.0 AS DOUBLE)
      )
    ) AS points
  FROM eng_price_sheet_download
  GROUP BY
    person_id
  UNION ALL
  SELECT
    person_id,
    SUM(
      amount * POWER(
        CAST(0.5 AS DOUBLE),
        CAST(CAST(1793000000.0 AS DOUBLE) - ts AS DOUBLE) / CAST(86400.0 AS DOUBLE) / CAST(60.0 AS DOUBLE)
      )
    ) AS points
  FROM eng_cost_calculator
  GROUP BY
    person_id
  UNION ALL
  SELECT
    person_id,
    SUM(
      amount * POWER(
        CAST(0.5 AS DOUBLE),
        CAST(CAST(1793000000.0 AS DOUBLE) - ts AS DOUBLE) / CAST(86400.0 AS DOUBLE) / CAST(60.0 AS DOUBLE)
      )
    ) AS points
  FROM eng_chat_conversation
  GROUP BY
    person_id
  UNION ALL
  SELECT
    person_id,
    SUM(
      amount * POWER(
        CAST(0.5 AS DOUBLE),
        CAST(CAST(1793000000.0 AS DOUBLE) - ts AS DOUBLE) / CAST(86400.0 AS DOUBLE) / CAST(30.0 AS DOUBLE)
      )
    ) AS points
  FROM eng_webinar_registration
  GROUP BY
    person_id
  UNION ALL
  SELECT
    person_id,
    SUM(
      amount * CASE
        WHEN CAST(CAST(1793000000.0 AS DOUBLE) - ts AS DOUBLE) / CAST(86400.0 AS DOUBLE) >= CAST(180.0 AS DOUBLE)
        THEN CAST(0.0 AS DOUBLE)
        WHEN CAST(CAST(1793000000.0 AS DOUBLE) - ts AS DOUBLE) / CAST(86400.0 AS DOUBLE) >= CAST(60.0 AS DOUBLE)
        THEN CAST(0.5 AS DOUBLE)
        ELSE CAST(1.0 AS DOUBLE)
      END
    ) AS points
  FROM eng_webinar_attended
  GROUP BY
    person_id
  UNION ALL
  SELECT
    person_id,
    SUM(amount) AS points
  FROM eng_newsletter_signup_cap1
  GROUP BY
    person_id
  UNION ALL
  SELECT
    person_id,
    SUM(
      amount * POWER(
        CAST(0.5 AS DOUBLE),
        CAST(CAST(1793000000.0 AS DOUBLE) - ts AS DOUBLE) / CAST(86400.0 AS DOUBLE) / CAST(21.0 AS DOUBLE)
      )
    ) AS points
  FROM eng_e_mail_click_cap1
  GROUP BY
    person_id
  UNION ALL
  SELECT
    person_id,
    SUM(
      amount * POWER(
        CAST(0.5 AS DOUBLE),
        CAST(CAST(1793000000.0 AS DOUBLE) - ts AS DOUBLE) / CAST(86400.0 AS DOUBLE) / CAST(21.0 AS DOUBLE)
      )
    ) AS points
  FROM eng_ad_click_cap1
  GROUP BY
    person_id
  UNION ALL
  SELECT
    person_id,
    SUM(
      amount * POWER(
        CAST(0.5 AS DOUBLE),
        CAST(CAST(1793000000.0 AS DOUBLE) - ts AS DOUBLE) / CAST(86400.0 AS DOUBLE) / CAST(7.0 AS DOUBLE)
      )
    ) AS points
  FROM eng_e_mail_open_cap2
  GROUP BY
    person_id
  UNION ALL
  SELECT
    person_id,
    SUM(
      amount * GREATEST(
        CAST(0.0 AS DOUBLE),
        CAST(1.0 AS DOUBLE) - CAST(CAST(1793000000.0 AS DOUBLE) - ts AS DOUBLE) / CAST(86400.0 AS DOUBLE) / CAST(60.0 AS DOUBLE)
      )
    ) AS points
  FROM eng_trial_sign_up
  GROUP BY
    person_id
  UNION ALL
  SELECT
    person_id,
    SUM(
      amount * POWER(
        CAST(0.5 AS DOUBLE),
        CAST(CAST(1793000000.0 AS DOUBLE) - ts AS DOUBLE) / CAST(86400.0 AS DOUBLE) / CAST(90.0 AS DOUBLE)
      )
    ) AS points
  FROM eng_meeting_held
  GROUP BY
    person_id
  UNION ALL
  SELECT
    person_id,
    -SUM(
      amount * GREATEST(
        CAST(0.0 AS DOUBLE),
        CAST(1.0 AS DOUBLE) - CAST(CAST(1793000000.0 AS DOUBLE) - ts AS DOUBLE) / CAST(86400.0 AS DOUBLE) / CAST(180.0 AS DOUBLE)
      )
    ) AS points
  FROM eng_careers_page_cap1
  GROUP BY
    person_id
  UNION ALL
  SELECT
    person_id,
    -SUM(
      amount * GREATEST(
        CAST(0.0 AS DOUBLE),
        CAST(1.0 AS DOUBLE) - CAST(CAST(1793000000.0 AS DOUBLE) - ts AS DOUBLE) / CAST(86400.0 AS DOUBLE) / CAST(365.0 AS DOUBLE)
      )
    ) AS points
  FROM eng_unsubscribed
  GROUP BY
    person_id
  UNION ALL
  SELECT
    person_id,
    -SUM(amount) AS points
  FROM eng_e_mail_bounced
  GROUP BY
    person_id
  UNION ALL
  SELECT
    person_id,
    points
  FROM sig_cloud_binge
  UNION ALL
  SELECT
    person_id,
    points
  FROM sig_service_binge
  UNION ALL
  SELECT
    person_id,
    points
  FROM sig_vendor_comparison
  UNION ALL
  SELECT
    person_id,
    points
  FROM prod_active_trial_team
), engagement AS (
  SELECT
    person_id,
    SUM(points) AS engagement
  FROM points
  GROUP BY
    person_id
), scored AS (
  SELECT
    p.person_id,
    CAST(0.0 AS DOUBLE) + CASE
      WHEN industry IN ('software', 'finance', 'logistics', 'retail')
      THEN CAST(15.0 AS DOUBLE)
      ELSE CAST(0.0 AS DOUBLE)
    END + CASE
      WHEN industry IN ('manufacturing', 'healthcare', 'energy')
      THEN CAST(10.0 AS DOUBLE)
      ELSE CAST(0.0 AS DOUBLE)
    END + CASE
      WHEN industry IN ('public_sector', 'education')
      THEN CAST(-5.0 AS DOUBLE)
      ELSE CAST(0.0 AS DOUBLE)
    END + CASE WHEN country = 'FI' THEN CAST(10.0 AS DOUBLE) ELSE CAST(0.0 AS DOUBLE) END + CASE
      WHEN country IN ('SE', 'NO', 'DK', 'EE')
      THEN CAST(8.0 AS DOUBLE)
      ELSE CAST(0.0 AS DOUBLE)
    END + CASE
      WHEN CAST(employees AS DOUBLE) BETWEEN 250.0 AND 999.0
      THEN CAST(20.0 AS DOUBLE)
      ELSE CAST(0.0 AS DOUBLE)
    END + CASE
      WHEN CAST(employees AS DOUBLE) BETWEEN 50.0 AND 249.0
      THEN CAST(12.0 AS DOUBLE)
      ELSE CAST(0.0 AS DOUBLE)
    END + CASE
      WHEN CAST(employees AS DOUBLE) >= 1000.0
      THEN CAST(12.0 AS DOUBLE)
      ELSE CAST(0.0 AS DOUBLE)
    END + CASE
      WHEN CAST(employees AS DOUBLE) < 50.0
      THEN CAST(-5.0 AS DOUBLE)
      ELSE CAST(0.0 AS DOUBLE)
    END + CASE
      WHEN revenue_band IN ('10M-50M', '50M-250M', '250M-1B')
      THEN CAST(5.0 AS DOUBLE)
      ELSE CAST(0.0 AS DOUBLE)
    END + CASE
      WHEN tier = 'most_wanted'
      THEN CAST(20.0 AS DOUBLE)
      ELSE CAST(0.0 AS DOUBLE)
    END + CASE WHEN tier = 'tier_2' THEN CAST(12.0 AS DOUBLE) ELSE CAST(0.0 AS DOUBLE) END + CASE WHEN tier = 'tier_3' THEN CAST(8.0 AS DOUBLE) ELSE CAST(0.0 AS DOUBLE) END + CASE
      WHEN role = 'decision_maker'
      THEN CAST(5.0 AS DOUBLE)
      ELSE CAST(0.0 AS DOUBLE)
    END + CASE WHEN role = 'influencer' THEN CAST(3.0 AS DOUBLE) ELSE CAST(0.0 AS DOUBLE) END + CASE
      WHEN title RLIKE '(?iU)\\b(cio|cto|it director|head of it|tietohallintojohtaja|teknologiajohtaja)\\b'
      THEN CAST(3.0 AS DOUBLE)
      ELSE CAST(0.0 AS DOUBLE)
    END + CASE
      WHEN title RLIKE '(?iU)\\b(hr|marketing|sales|assistant)\\b'
      THEN CAST(-5.0 AS DOUBLE)
      ELSE CAST(0.0 AS DOUBLE)
    END + CASE
      WHEN title RLIKE '(?iU)student|opiskelija|harjoittelija|intern'
      THEN CAST(-40.0 AS DOUBLE)
      ELSE CAST(0.0 AS DOUBLE)
    END + CASE
      WHEN account_name RLIKE '(?iU)\\b(consulting|cloud|solutions)\\b'
      THEN CAST(-100.0 AS DOUBLE)
      ELSE CAST(0.0 AS DOUBLE)
    END + CASE
      WHEN (
        account_domain IS NULL OR account_domain = ''
      )
      THEN CAST(-20.0 AS DOUBLE)
      ELSE CAST(0.0 AS DOUBLE)
    END + CASE
      WHEN consent = 'withdrawn'
      THEN CAST(-10.0 AS DOUBLE)
      ELSE CAST(0.0 AS DOUBLE)
    END AS fit,
    COALESCE(engagement.engagement, CAST(0.0 AS DOUBLE)) AS engagement,
    NOT hand_raisers.person_id IS NULL AS hand_raiser,
    COALESCE(sig_cloud_binge.active, FALSE) AS signal__cloud_binge,
    COALESCE(sig_service_binge.active, FALSE) AS signal__service_binge,
    COALESCE(sig_vendor_comparison.active, FALSE) AS signal__vendor_comparison,
    COALESCE(prod_active_trial_team.active, FALSE) AS product__active_trial_team,
    stage.stage_rank
  FROM person AS p
  LEFT JOIN engagement
    ON engagement.person_id = p.person_id
  LEFT JOIN hand_raisers
    ON hand_raisers.person_id = p.person_id
  LEFT JOIN sig_cloud_binge
    ON sig_cloud_binge.person_id = p.person_id
  LEFT JOIN sig_service_binge
    ON sig_service_binge.person_id = p.person_id
  LEFT JOIN sig_vendor_comparison
    ON sig_vendor_comparison.person_id = p.person_id
  LEFT JOIN prod_active_trial_team
    ON prod_active_trial_team.person_id = p.person_id
  LEFT JOIN stage
    ON stage.person_id = p.person_id
), graded AS (
  SELECT
    person_id,
    fit,
    CASE
      WHEN fit >= CAST(60.0 AS DOUBLE)
      THEN 'A'
      WHEN fit >= CAST(40.0 AS DOUBLE)
      THEN 'B'
      WHEN fit >= CAST(20.0 AS DOUBLE)
      THEN 'C'
      ELSE 'D'
    END AS grade,
    CASE
      WHEN fit >= CAST(60.0 AS DOUBLE)
      THEN 4
      WHEN fit >= CAST(40.0 AS DOUBLE)
      THEN 3
      WHEN fit >= CAST(20.0 AS DOUBLE)
      THEN 2
      ELSE 1
    END AS grade_rank,
    engagement,
    fit + engagement AS score,
    hand_raiser,
    signal__cloud_binge,
    signal__service_binge,
    signal__vendor_comparison,
    product__active_trial_team,
    stage_rank
  FROM scored
)
SELECT
  person_id,
  fit,
  grade,
  engagement,
  score,
  COALESCE(
    COALESCE(grade_rank >= 3, FALSE)
    AND (
      COALESCE(engagement >= 40.0, FALSE)
      OR signal__vendor_comparison
      OR (
        (
          signal__cloud_binge OR signal__service_binge
        )
        AND COALESCE(stage_rank >= 2, FALSE)
      )
    ),
    FALSE
  ) AS mql,
  COALESCE(product__active_trial_team AND COALESCE(grade_rank <> 1, FALSE), FALSE) AS pql,
  hand_raiser,
  signal__cloud_binge,
  signal__service_binge,
  signal__vendor_comparison,
  product__active_trial_team
FROM graded
ORDER BY
  person_id
