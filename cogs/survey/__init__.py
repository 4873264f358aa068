from bot.app import PdnBot
from bot.services import survey as survey_service
from bot.services.privacy import register_hook
from cogs.survey._cog import Surveys
from cogs.survey._post import ANNOUNCEMENT_KIND
from cogs.survey._views import AnswerButton, SurveySelect, SurveySubmit


async def setup(bot: PdnBot) -> None:
    register_hook(survey_service.PRIVACY_HOOK)
    bot.add_dynamic_items(AnswerButton, SurveySelect, SurveySubmit)
    bot.outbox.register(ANNOUNCEMENT_KIND)
    await bot.add_cog(Surveys(bot))
