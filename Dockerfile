# Production image of the ШНОР portal: gunicorn (web), celery worker and beat share it.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VAR_DIR=/app/var \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/app/var/media

# WeasyPrint renders through Pango/HarfBuzz; PDFs embed the PT fonts shipped in static/fonts,
# DejaVu is the fallback for symbols.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 \
        fontconfig fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 1000 portal \
    && useradd --system --uid 1000 --gid portal --home-dir /app --shell /usr/sbin/nologin portal

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY --chown=portal:portal . .
# collectstatic needs settings only; these values exist for this build step alone.
RUN SECRET_KEY=collectstatic-only DEBUG=0 TESTING=0 ALLOWED_HOSTS=localhost SITE_URL=http://localhost \
        python manage.py collectstatic --noinput \
    && mkdir -p /app/var/media \
    && chown -R portal:portal /app/var

USER portal
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["python", "-m", "portal.healthcheck"]
CMD ["gunicorn", "portal.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60", \
     "--access-logfile", "-", "--forwarded-allow-ips", "*"]
